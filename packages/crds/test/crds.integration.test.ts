// The generated CRDs on a real kube-apiserver: installed, examples accepted, invalid specs refused at
// admission with the apiserver's own message, kubectl explain / scale / get columns as users see them.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { GROUP, KINDS, VERSION, crdManifestFiles, policyManifestFiles, resourceSchemas } from '../src/index.ts';
import type { KindName } from '../src/index.ts';
import { eeveeExamples } from './examples.ts';
import { invalidCases, specOf } from './invalid-specs.ts';

let cluster: Cluster;
let ns: TestNamespace;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await testCluster();
  await cluster.applyFiles([...crdManifestFiles(), ...policyManifestFiles()]);
  ns = await createTestNamespace(cluster, 'crds');
  custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await ns?.delete();
});

function create(kind: KindName, name: string, spec: Record<string, unknown>): Promise<unknown> {
  return custom.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: ns.name,
    plural: KINDS[kind].plural,
    body: { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name }, spec },
  });
}

function get(kind: KindName, name: string): Promise<{ spec: unknown }> {
  return custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns.name, plural: KINDS[kind].plural, name }) as Promise<{ spec: unknown }>;
}

/** 'accepted', or the message of the apiserver's Status (what kubectl prints). */
async function rejection(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'accepted',
    (err: unknown) => {
      const body = (err as { body?: unknown }).body;
      try {
        return (JSON.parse(String(body)) as { message: string }).message;
      } catch {
        return String(body ?? err);
      }
    },
  );
}

describe('the CRDs on a real apiserver', () => {
  it('are all Established with the served names and short names', async () => {
    const names = JSON.parse(await cluster.kubectl(['api-resources', '--api-group', GROUP, '-o', 'json'])) as { resources: { name: string; kind: string; shortNames: string[] }[] };
    expect(names.resources.map((r) => [r.kind, r.name, r.shortNames]).sort()).toEqual(
      Object.values(KINDS).map((k) => [k.kind, k.plural, [k.shortName]]).sort(),
    );
  });

  it('accept every example unchanged (nothing pruned) with the same defaults zod applies', async () => {
    for (const { doc } of eeveeExamples()) {
      const kind = doc.kind as KindName;
      await create(kind, doc.metadata.name, doc.spec ?? {});
      const stored = await get(kind, doc.metadata.name);
      expect(stored.spec, `${kind}/${doc.metadata.name}`).toEqual(resourceSchemas[kind].shape.spec.parse(doc.spec));
    }
  });

  it.each(invalidCases.map((c) => [`${c.kind}: ${c.title}`, c] as const))('refuse %s', async (_, c) => {
    const name = `invalid-${invalidCases.indexOf(c)}`;
    // The Secret-namespace policy starts working a moment after it is installed.
    const message = await eventually('the apiserver to refuse it', () => rejection(create(c.kind, name, specOf(c))), (m) => m !== 'accepted', c.by === 'policy' ? 30_000 : 1_000);
    expect(message).toMatch(c.apiserver);
  });

  it('explain the fields (kubectl explain botmodule.spec.size)', async () => {
    const explain = await cluster.kubectl(['explain', 'botmodule.spec.size']);
    expect(explain).toContain('FIELD: size <integer>');
    expect(explain.replace(/\s+/g, ' ')).toContain('Number of replicas. 0 stops the module but keeps its Deployment');
    expect((await cluster.kubectl(['explain', 's3store.spec.prefix'])).replace(/\s+/g, ' ')).toContain("must be empty or end with '/'");
  });

  it('scale a BotModule through the scale subresource (kubectl scale)', async () => {
    await create('BotModule', 'scaled', { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' });
    await cluster.kubectl(['scale', '-n', ns.name, 'botmodule/scaled', '--replicas=3']);
    expect(await get('BotModule', 'scaled')).toMatchObject({ spec: { size: 3 } });
    const scale = JSON.parse(await cluster.kubectl(['get', '-n', ns.name, 'botmodule/scaled', '--subresource=scale', '-o', 'json'])) as { kind: string; spec: { replicas: number } };
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
  });

  it('show printer columns in kubectl get', async () => {
    await create('BackupRestore', 'columns', { botModule: { name: 'tell' }, s3Store: { name: 'offsite' }, image: 'ghcr.io/eeveebot/backupjob:latest' });
    const header = (kind: string) => cluster.kubectl(['get', kind, '-n', ns.name]).then((out) => out.split('\n')[0]!.trim().split(/\s{2,}/));
    expect(await header('botmodules')).toEqual(['NAME', 'MODULE', 'IMAGE', 'DESIRED', 'READY', 'PHASE', 'AGE']);
    expect(await header('ipcconfigs')).toEqual(['NAME', 'URL', 'READY', 'AGE']);
    expect(await header('s3stores')).toEqual(['NAME', 'ENDPOINT', 'BUCKET', 'READY', 'LAST TEST', 'AGE']);
    expect(await header('backupschedules')).toEqual(['NAME', 'SCHEDULE', 'S3STORE', 'MODULES', 'LAST SUCCESS', 'AGE']);
    expect(await header('backuprestores')).toEqual(['NAME', 'MODULE', 'BACKUP', 'PHASE', 'AGE']);
    const row = (await cluster.kubectl(['get', 'botmodule', 'scaled', '-n', ns.name, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 4)).toEqual(['scaled', 'echo', 'ghcr.io/eeveebot/echo:1.3.9', '3']);
    expect(await cluster.kubectl(['get', 'eevee', '-n', ns.name, '-o', 'name'])).toContain('botmodule.eevee.bot/scaled');
  });
});
