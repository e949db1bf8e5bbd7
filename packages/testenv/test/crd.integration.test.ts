// CustomResourceDefinitions work end to end: Established, structural schema validation, CEL rules.
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '../src/index.ts';
import type { TestNamespace } from '../src/index.ts';

const group = 'testenv.eevee.bot';
const plural = 'widgets';
let ns: TestNamespace;
let ext: ApiextensionsV1Api;
let custom: CustomObjectsApi;

const crd: V1CustomResourceDefinition = {
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 0 },
                  prefix: { type: 'string' },
                },
                // client-node serializes this field from its TypeScript name; the JSON key would be silently dropped.
                x_kubernetes_validations: [
                  {
                    rule: "!has(self.prefix) || self.prefix == '' || self.prefix.endsWith('/')",
                    message: 'prefix must be empty or end with /',
                  },
                ],
              },
            },
          },
        },
      },
    ],
  },
};

beforeAll(async () => {
  const cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'crd');
  ext = cluster.kubeConfig.makeApiClient(ApiextensionsV1Api);
  custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await ns?.delete();
  await ext?.deleteCustomResourceDefinition({ name: `${plural}.${group}` });
});

function widget(name: string, spec: Record<string, unknown>): object {
  return { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name }, spec };
}

function create(body: object): Promise<unknown> {
  return custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns.name, plural, body });
}

it('installs a CRD that becomes Established, accepts a valid object and rejects invalid ones with the schema message', async () => {
  await ext.createCustomResourceDefinition({ body: crd });
  await eventually(
    'the CRD to be Established',
    () => ext.readCustomResourceDefinition({ name: `${plural}.${group}` }),
    (c) =>
      c.status?.conditions?.some((cond) => cond.type === 'Established' && cond.status === 'True') ?? false,
  );
  // Discovery of a new CRD can lag Established by a moment.
  await eventually(
    'a valid Widget to be accepted',
    () => create(widget('good', { size: 2, prefix: 'backups/' })),
    () => true,
  );
  const stored = (await custom.getNamespacedCustomObject({
    group,
    version: 'v1',
    namespace: ns.name,
    plural,
    name: 'good',
  })) as { spec: unknown };
  expect(stored.spec).toEqual({ size: 2, prefix: 'backups/' });

  await expect(create(widget('negative', { size: -1 }))).rejects.toThrow(
    /spec\.size.*should be greater than or equal to 0/,
  );
  await expect(create(widget('badprefix', { size: 1, prefix: 'backups' }))).rejects.toThrow(
    /prefix must be empty or end with \//,
  );
  await expect(create(widget('missing', {}))).rejects.toThrow(/spec\.size: Required value/);
});
