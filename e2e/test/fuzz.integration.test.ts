// A fuzz run against the real apiserver and module-controller: 1000 random BotModule specs, mostly invalid
// (each field is a valid value or junk). Every one is either refused at admission (422, with the apiserver's
// message) or accepted and then reported in its status (observedGeneration caught up, a Ready condition with a
// reason); the controller never crashes; and a valid module running beside them is never disturbed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { installCrds, startController } from '@eevee/stack';
import type { RunningController } from '@eevee/stack';

const SPECS = 1000;
let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let controller: RunningController;

type Module = KubeObject & {
  status?: {
    observedGeneration?: number;
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
  };
};
type Pod = KubeObject & { status?: { phase?: string } };

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** Each field: a valid value, one of the right type but out of range, or junk of any type. */
const field = <T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: junk });

/** [valid values, wrong values of the right type] per field. */
const FIELDS = {
  moduleName: [
    fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/),
    fc.constantFrom('UPPER', 't-', '', 'a'.repeat(300)),
  ],
  image: [
    fc.constantFrom('ghcr.io/eeveebot/echo:1.3.9', 'ghcr.io/eeveebot/dice:1.4.9'),
    fc.constantFrom('', ' ', 'a b'),
  ],
  size: [fc.integer({ min: 0, max: 2 }), fc.integer({ min: -5, max: -1 })],
  enabled: [fc.boolean(), fc.constantFrom('yes', 1)],
  metrics: [fc.boolean(), fc.constantFrom('true', 0)],
  metricsPort: [fc.integer({ min: 1024, max: 65535 }), fc.constantFrom(0, -1, 70_000)],
  // Unparseable YAML is a valid string: the controller must report it, not crash on it.
  moduleConfig: [fc.constantFrom('limit: 1\n', '', 'a: [unclosed\n', '- just\n- a list\n'), fc.constant(42)],
  ipcConfig: [fc.constantFrom('bot', 'missing'), fc.constantFrom('UPPER', 'a_b')],
  envSecret: [
    fc.record({ name: fc.constantFrom('exists', 'missing') }),
    fc.record({ name: fc.constantFrom('', 'X') }),
  ],
  configUpdatePolicy: [fc.constantFrom('Rollout', 'InPlace'), fc.constantFrom('Restart', 'Sometimes')],
  volumeReclaimPolicy: [fc.constantFrom('Retain', 'Delete'), fc.constantFrom('Recycle', '')],
  mountOperatorApiToken: [fc.boolean(), fc.constant('no')],
  persistentVolumeClaim: [
    fc.record({
      accessModes: fc.constantFrom(['ReadWriteOnce'], ['ReadWriteMany']),
      resources: fc.record({ requests: fc.record({ storage: fc.constantFrom('1Gi', '10Mi') }) }),
    }),
    fc.record({
      accessModes: fc.constant(['Sideways']),
      resources: fc.constant({ requests: { storage: 'lots' } }),
    }),
  ],
  autoscaling: [
    fc.record({
      minReplicas: fc.integer({ min: 1, max: 2 }),
      maxReplicas: fc.integer({ min: 2, max: 3 }),
      targetCPUUtilizationPercentage: fc.integer({ min: 10, max: 100 }),
    }),
    fc.record({ minReplicas: fc.constant(3), maxReplicas: fc.constant(1) }),
  ],
  resources: [
    fc.record({ limits: fc.record({ cpu: fc.constantFrom('100m', '1') }) }),
    fc.record({ limits: fc.record({ cpu: fc.constant('fast') }) }),
  ],
} satisfies Record<string, [fc.Arbitrary<unknown>, fc.Arbitrary<unknown>]>;

const entries: [string, [fc.Arbitrary<unknown>, fc.Arbitrary<unknown>]][] = Object.entries(FIELDS);
/** Valid specs (about a third) and mixed ones, with any field possibly left out. */
const spec = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record(Object.fromEntries(entries.map(([k, [v]]) => [k, v])), {
      requiredKeys: ['moduleName', 'image'],
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(Object.fromEntries(entries.map(([k, [v, w]]) => [k, field(v, w)])), {
      requiredKeys: [],
    }),
  },
);

beforeAll(async () => {
  cluster = await testCluster();
  admin = new KubeClient(cluster.kubeConfig);
  await installCrds(admin);
  ns = await createTestNamespace(cluster, 'e2efuzz');
  await admin.create(RESOURCES.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'exists', namespace: ns.name },
    stringData: { A: 'b' },
  });
  controller = await startController('module-controller', cluster, ns.name, { RECONCILE_CONCURRENCY: '4' });
});
afterAll(async () => {
  await controller?.stop();
  await ns?.delete();
});

describe(`${SPECS} random BotModule specs`, () => {
  it('are each refused at admission or reported in status, without disturbing a running module', async () => {
    await admin.create(RESOURCES.BotModule, {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name: 'canary', namespace: ns.name },
      spec: { moduleName: 'canary', image: 'ghcr.io/eeveebot/echo:1.3.9', size: 2 },
    });
    await eventually(
      'the canary Ready',
      () => admin.get<Module>(RESOURCES.BotModule, ns.name, 'canary'),
      (m) => m.status?.phase === 'Ready',
    );
    const canaryPods = async () =>
      (
        await admin.list<Pod>(RESOURCES.Pod, { namespace: ns.name, labelSelector: 'eevee.bot/module=canary' })
      ).items
        .map((p) => `${p.metadata.uid}:${p.status?.phase}`)
        .sort();
    const podsBefore = await canaryPods();
    const canaryGeneration = (await admin.get(RESOURCES.Deployment, ns.name, 'eevee-canary-module')).metadata
      .generation;

    const specs = fc.sample(spec, { numRuns: SPECS, seed: 20261123 });
    const refused: string[] = [];
    const accepted: string[] = [];
    for (let i = 0; i < specs.length; i += 25) {
      await Promise.all(
        specs.slice(i, i + 25).map(async (s, j) => {
          const name = `fuzz-${i + j}`;
          try {
            await admin.create(RESOURCES.BotModule, {
              apiVersion: 'eevee.bot/v1',
              kind: 'BotModule',
              metadata: { name, namespace: ns.name },
              spec: s,
            });
            accepted.push(name);
          } catch (err) {
            // Refused at admission with a message, never a server error.
            expect(err, name).toBeInstanceOf(KubeApiError);
            expect([400, 422], `${name}: ${(err as Error).message}`).toContain((err as KubeApiError).code);
            refused.push((err as Error).message);
          }
        }),
      );
    }
    expect(refused.length + accepted.length).toBe(SPECS);
    expect(refused.length).toBeGreaterThan(SPECS / 2);
    expect(accepted.length, refused.slice(0, 5).join('\n')).toBeGreaterThan(0);

    await eventually(
      'every accepted module reported in status',
      async () => {
        const items = (await admin.list<Module>(RESOURCES.BotModule, { namespace: ns.name })).items;
        return items.filter(
          (m) =>
            m.status?.observedGeneration !== m.metadata.generation ||
            !m.status?.conditions?.some((c) => c.type === 'Ready' && c.reason),
        );
      },
      (pending) => pending.length === 0,
      240_000,
    );
    expect(controller.process.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${controller.port}/healthz`)).status).toBe(200);
    expect(await canaryPods()).toEqual(podsBefore);
    expect((await admin.get(RESOURCES.Deployment, ns.name, 'eevee-canary-module')).metadata.generation).toBe(
      canaryGeneration,
    );
    console.log(
      `fuzz: ${refused.length} refused at admission, ${accepted.length} accepted and reported in status`,
    );
  }, 400_000);
});
