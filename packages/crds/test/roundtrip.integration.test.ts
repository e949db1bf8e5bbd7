// Property: a random valid spec survives schema -> YAML -> apiserver -> read back unchanged, and the apiserver
// fills exactly the defaults zod fills. This is what the upstream CRDs failed (pruned maps, lost ports).
import { CustomObjectsApi } from '@kubernetes/client-node';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createTestNamespace, testCluster } from '@eevee/testenv';
import type { TestNamespace } from '@eevee/testenv';
import { GROUP, KINDS, VERSION, crdManifestFiles, policyManifestFiles, resourceSchemas } from '../src/index.ts';
import type { KindName } from '../src/index.ts';
import { specArbitraries } from './arbitraries.ts';

let ns: TestNamespace;
let custom: CustomObjectsApi;

beforeAll(async () => {
  const cluster = await testCluster();
  await cluster.applyFiles([...crdManifestFiles(), ...policyManifestFiles()]);
  ns = await createTestNamespace(cluster, 'roundtrip');
  custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await ns?.delete();
});

it.each(Object.keys(KINDS) as KindName[])('random %s specs round-trip through the apiserver unchanged', async (kind) => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(specArbitraries[kind], async (spec) => {
      const name = `${kind.toLowerCase()}-${n++}`;
      const manifest = parse(stringify({ apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name }, spec })) as Record<string, unknown>;
      const expected = resourceSchemas[kind].parse(manifest).spec;
      const params = { group: GROUP, version: VERSION, namespace: ns.name, plural: KINDS[kind].plural };
      await custom.createNamespacedCustomObject({ ...params, body: manifest });
      const stored = (await custom.getNamespacedCustomObject({ ...params, name })) as { spec: unknown };
      expect(stored.spec).toEqual(expected);
      expect(resourceSchemas[kind].parse(stored).spec).toEqual(expected);
    }),
    { numRuns: 40 },
  );
});
