// A whole manager on the real cluster: a controller that applies a child and writes status converges and then
// writes nothing over further resyncs (no hot loop); conditions keep lastTransitionTime; Events are recorded;
// /metrics, /healthz and /readyz answer.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, freePort, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { botModuleSchema, crdManifestFiles } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import {
  KubeClient,
  applies,
  applyObject,
  applyStatus,
  controllerReference,
  createLogger,
  defineController,
  readyCondition,
  RESOURCES,
  runManager,
  setCondition,
  standardLabels,
  writesStatus,
} from '../src/index.ts';
import type { KubeObject, Manager } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let manager: Manager;
let port: number;
let admin: KubeClient;

const testController = defineController<BotModule>({
  name: 'test-botmodule',
  for: RESOURCES.BotModule,
  schema: botModuleSchema,
  owns: [RESOURCES.ConfigMap],
  calls: [...writesStatus(RESOURCES.BotModule), ...applies(RESOURCES.ConfigMap)],
  resyncSeconds: 1,
  async reconcile({ namespace, name }, ctx) {
    const bm = ctx.primary.get(namespace, name);
    const parsed = ctx.primary.getTyped(namespace, name);
    if (!bm || !parsed?.success) return;
    const configName = `eevee-${name}-module-config`;
    const desired: KubeObject = {
      metadata: {
        name: configName,
        namespace,
        labels: standardLabels({ component: 'module', instance: name, managedBy: ctx.fieldManager }),
        ownerReferences: [controllerReference(bm)],
      },
      data: { 'config.yaml': parsed.data.spec.moduleConfig ?? '' },
    };
    const applied = await applyObject(ctx.client, RESOURCES.ConfigMap, desired, {
      fieldManager: ctx.fieldManager,
      cached: ctx.cache(RESOURCES.ConfigMap).get(namespace, configName),
    });
    if (applied.written)
      await ctx.events.record(bm, 'Normal', 'ConfigApplied', `ConfigMap ${configName} applied`);
    const generation = bm.metadata.generation ?? 0;
    const status = {
      observedGeneration: generation,
      phase: 'Ready',
      conditions: setCondition(
        parsed.data.status?.conditions,
        readyCondition(true, 'Ready', 'module configured', generation),
      ),
    };
    await applyStatus(ctx.client, RESOURCES.BotModule, bm, status, ctx.fieldManager);
  },
});

beforeAll(async () => {
  cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  ns = await createTestNamespace(cluster, 'controller');
  port = await freePort();
  admin = new KubeClient(cluster.kubeConfig);
  manager = await runManager({
    name: 'runtime-test',
    controllers: [testController],
    kubeConfig: cluster.kubeConfig,
    env: {
      LEADER_ELECT: 'false',
      NAMESPACE: ns.name,
      METRICS_PORT: String(port),
      HEALTH_PORT: String(port),
      LOG_LEVEL: 'error',
    },
    handleSignals: false,
    logger: createLogger({ name: 'runtime-test', level: 'error' }),
  });
});

afterAll(async () => {
  await manager?.stop();
  await ns?.delete();
});

const botModule = (image: string): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BotModule',
  metadata: { name: 'echo', namespace: ns.name },
  spec: { moduleName: 'echo', image, moduleConfig: 'ratelimit: 5\n' },
});

async function readyStatus(): Promise<{ generation: number; status: BotModule['status'] }> {
  const bm = await admin.get<KubeObject & { status: BotModule['status'] }>(
    RESOURCES.BotModule,
    ns.name,
    'echo',
  );
  return { generation: bm.metadata.generation ?? 0, status: bm.status };
}

describe('a controller on the runtime', () => {
  it('converges, then writes nothing over further resyncs (no hot loop)', async () => {
    await admin.create(RESOURCES.BotModule, botModule('ghcr.io/eeveebot/echo:1.3.9'));
    await eventually(
      'status to be written',
      readyStatus,
      (s) => s.status?.phase === 'Ready' && s.status.observedGeneration === s.generation,
    );
    const configMap = await admin.get(RESOURCES.ConfigMap, ns.name, 'eevee-echo-module-config');
    expect(configMap.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'BotModule',
      name: 'echo',
      controller: true,
    });
    await sleep(1_500); // let the watch events of our own writes come back and be reconciled
    const writes = manager.client.writes;
    const reconciles = manager.controllers[0]!.reconciles;
    await sleep(3_500); // three or more resyncs
    expect(manager.controllers[0]!.reconciles - reconciles).toBeGreaterThanOrEqual(3);
    expect(manager.client.writes - writes).toBe(0);
  });

  it('keeps lastTransitionTime when the condition status does not change', async () => {
    const before = await readyStatus();
    const since = before.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    await sleep(1_100); // timestamps have second resolution
    await admin.mergePatch(
      RESOURCES.BotModule,
      ns.name,
      'echo',
      { spec: { image: 'ghcr.io/eeveebot/echo:1.4.0' } },
      'test',
    );
    const after = await eventually(
      'the new generation to be observed',
      readyStatus,
      (s) => s.status?.observedGeneration === before.generation + 1,
    );
    const ready = after.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'True',
      observedGeneration: before.generation + 1,
      lastTransitionTime: since,
    });
  });

  it('records a Kubernetes Event on the object', async () => {
    const events = await eventually(
      'an Event about echo',
      () =>
        admin.list<KubeObject & { reason: string; regarding: { name: string }; reportingController: string }>(
          { apiVersion: 'events.k8s.io/v1', kind: 'Event', plural: 'events', namespaced: true },
          { namespace: ns.name },
        ),
      (list) => list.items.some((e) => e.regarding.name === 'echo'),
    );
    expect(events.items.find((e) => e.regarding.name === 'echo')).toMatchObject({
      reason: 'ConfigApplied',
      reportingController: 'eevee.bot/runtime-test',
    });
  });

  it('serves /healthz, /readyz and /metrics with the controller-runtime names', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of [
      'controller_runtime_reconcile_total{controller="test-botmodule",result="success"}',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds_bucket',
      'workqueue_work_duration_seconds_bucket',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'leader_election_master_status',
      'process_resident_memory_bytes',
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
