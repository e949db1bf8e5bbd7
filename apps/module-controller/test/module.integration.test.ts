// The module-controller on the real cluster: the pod contract, children, rollouts, no-op resyncs, status.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import type { ResourceType } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import type { Harness } from './harness.ts';
import {
  botModule,
  deploymentOf,
  getModule,
  publishIpcConfig,
  replicaSetsOf,
  startModuleController,
  waitForPhase,
} from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startModuleController('module');
  await publishIpcConfig(h, 'samplebot', 'samplebot-nats-auth');
  await h.admin.apply(
    RESOURCES.Secret,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'weather-secrets', namespace: h.ns.name },
      stringData: { API_KEY: 'x' },
    },
    'test',
  );
});

afterAll(async () => {
  await h?.stop();
});

const weather = {
  moduleName: 'weather',
  image: 'ghcr.io/eeveebot/weather:1.5.5',
  metrics: true,
  metricsPort: 9000,
  ipcConfig: 'samplebot',
  envSecret: { name: 'weather-secrets' },
  persistentVolumeClaim: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '256Mi' } },
  mountOperatorApiToken: true,
  moduleConfig: 'ratelimit: {mode: drop, level: user, limit: 5, interval: 1m}\n',
};

describe('a stateful module with metrics, NATS, config and secrets', () => {
  it('gets a Deployment with the upstream pod contract and becomes Ready', async () => {
    await h.admin.create(RESOURCES.BotModule, botModule(h, 'weather', weather));
    const ready = await waitForPhase(h, 'weather', 'Ready');
    const d = await deploymentOf(h, 'weather');
    const c = d.spec.template.spec.containers[0]!;
    expect(d.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'BotModule',
      name: 'weather',
      controller: true,
    });
    expect(d.spec.selector.matchLabels).toEqual({ 'eevee.bot/module': 'weather' });
    expect(d.spec.template.metadata.labels).toMatchObject({
      app: 'eevee.bot',
      'eevee.bot/module': 'weather',
    });
    expect(d.spec.strategy.type).toBe('Recreate'); // ReadWriteOnce volume
    expect(c.name).toBe('module');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.env).toEqual([
      { name: 'NAMESPACE', value: h.ns.name },
      { name: 'RESOURCE_NAME', value: 'weather' },
      {
        name: 'EEVEE_OPERATOR_API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'eevee-api-gateway-token', key: 'token' } },
      },
      { name: 'EEVEE_OPERATOR_API_URL', value: 'http://eevee-api-gateway:9000' },
      { name: 'NATS_HOST', valueFrom: { secretKeyRef: { name: 'samplebot-nats-auth', key: 'host' } } },
      { name: 'NATS_TOKEN', valueFrom: { secretKeyRef: { name: 'samplebot-nats-auth', key: 'token' } } },
      { name: 'METRICS_ENABLED', value: 'true' },
      { name: 'METRICS_PORT', value: '9000' },
      { name: 'HTTP_API_PORT', value: '9000' },
      { name: 'MODULE_DATA', value: '/data' },
      { name: 'MODULE_CONFIG_PATH', value: '/etc/module-config/config.yaml' },
    ]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'weather-secrets' } }]);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9000, protocol: 'TCP' }]);
    expect(c.livenessProbe).toMatchObject({
      httpGet: { path: '/health', port: 9000 },
      initialDelaySeconds: 10,
      periodSeconds: 30,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    expect(c.readinessProbe).toMatchObject({
      httpGet: { path: '/health', port: 9000 },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'module-data', mountPath: '/data' },
        { name: 'module-config', mountPath: '/etc/module-config', readOnly: true },
      ]),
    );
    expect(d.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'module-data', persistentVolumeClaim: { claimName: 'eevee-weather-module-pvc' } },
        expect.objectContaining({
          name: 'module-config',
          configMap: expect.objectContaining({ name: 'eevee-weather-module-config' }) as unknown,
        }),
      ]),
    );
    const cm = await h.admin.get<{ data: Record<string, string> } & typeof d>(
      RESOURCES.ConfigMap,
      h.ns.name,
      'eevee-weather-module-config',
    );
    expect(cm.data['config.yaml']).toBe(weather.moduleConfig);
    const pvc = await h.admin.get(RESOURCES.PersistentVolumeClaim, h.ns.name, 'eevee-weather-module-pvc');
    expect(pvc.metadata.ownerReferences).toBeUndefined(); // Retain: outlives the BotModule
    const svc = await h.admin.get<typeof d & { spec: { ports: unknown[] } }>(
      RESOURCES.Service,
      h.ns.name,
      'eevee-weather-module',
    );
    expect(svc.spec.ports).toEqual([
      expect.objectContaining({ name: 'metrics', port: 9000, targetPort: 'metrics' }),
    ]);
    expect(ready.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      selector: 'eevee.bot/module=weather',
      image: weather.image,
    });
    expect(ready.status?.conditions?.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ['Ready', 'True'],
        ['IpcReady', 'True'],
        ['Progressing', 'False'],
        ['Degraded', 'False'],
      ]),
    );
    await eventually(
      'the pod summary',
      () => getModule(h, 'weather'),
      (m) => (m.status?.pods as { ready: boolean }[] | undefined)?.[0]?.ready === true,
    );
  });

  it('writes nothing when reconciled again with nothing changed', async () => {
    await sleep(1_000);
    const writes = h.manager.client.writes;
    const rv = (await deploymentOf(h, 'weather')).metadata.resourceVersion;
    for (let i = 0; i < 5; i++) h.manager.controllers[0]!.enqueue(`${h.ns.name}/weather`);
    await sleep(1_500);
    expect(h.manager.client.writes - writes).toBe(0);
    expect((await deploymentOf(h, 'weather')).metadata.resourceVersion).toBe(rv);
  });

  it('rolls out exactly once on a config edit, and once on a restart request', async () => {
    const before = await replicaSetsOf(h, 'weather');
    const hash = (await deploymentOf(h, 'weather')).spec.template.metadata.annotations[
      'eevee.bot/config-hash'
    ];
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      { spec: { moduleConfig: 'ratelimit: {limit: 10}\n' } },
      'test',
    );
    await eventually(
      'the new config to roll out',
      () => deploymentOf(h, 'weather'),
      (d) => d.spec.template.metadata.annotations['eevee.bot/config-hash'] !== hash,
    );
    await waitForPhase(h, 'weather', 'Ready');
    await sleep(1_000);
    expect(await replicaSetsOf(h, 'weather')).toBe(before + 1);

    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      { metadata: { annotations: { 'eevee.bot/restartedAt': '2026-11-23T10:00:00Z' } } },
      'test',
    );
    await eventually(
      'the restart to roll out',
      () => deploymentOf(h, 'weather'),
      (d) => d.spec.template.metadata.annotations['eevee.bot/restartedAt'] === '2026-11-23T10:00:00Z',
    );
    await sleep(1_000);
    expect(await replicaSetsOf(h, 'weather')).toBe(before + 2);
  });

  it('rolls out once when a Secret the pods read changes', async () => {
    const before = await replicaSetsOf(h, 'weather');
    const hash = (await deploymentOf(h, 'weather')).spec.template.metadata.annotations[
      'eevee.bot/config-hash'
    ];
    await h.admin.apply(
      RESOURCES.Secret,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'weather-secrets', namespace: h.ns.name },
        stringData: { API_KEY: 'rotated' },
      },
      'test',
    );
    await eventually(
      'the Secret change to roll out',
      () => deploymentOf(h, 'weather'),
      (d) => d.spec.template.metadata.annotations['eevee.bot/config-hash'] !== hash,
    );
    await waitForPhase(h, 'weather', 'Ready');
    await sleep(1_000);
    expect(await replicaSetsOf(h, 'weather')).toBe(before + 1);
  });

  it('updates only the ConfigMap, without a rollout, with configUpdatePolicy InPlace', async () => {
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      { spec: { configUpdatePolicy: 'InPlace' } },
      'test',
    );
    await waitForPhase(h, 'weather', 'Ready');
    await sleep(500);
    const before = await replicaSetsOf(h, 'weather');
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      { spec: { moduleConfig: 'hot: reload\n' } },
      'test',
    );
    await eventually(
      'the ConfigMap to change',
      () =>
        h.admin.get<{ data: Record<string, string> } & { metadata: { name: string } }>(
          RESOURCES.ConfigMap,
          h.ns.name,
          'eevee-weather-module-config',
        ),
      (cm) => cm.data['config.yaml'] === 'hot: reload\n',
    );
    await sleep(1_000);
    expect(await replicaSetsOf(h, 'weather')).toBe(before);
  });

  it('reports a PVC change Kubernetes refuses in Degraded, and keeps the module running', async () => {
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      {
        spec: {
          persistentVolumeClaim: {
            accessModes: ['ReadWriteMany'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      },
      'test',
    );
    const degraded = await eventually(
      'Degraded to report the refused PVC change',
      () => getModule(h, 'weather'),
      (m) => m.status?.conditions?.find((c) => c.type === 'Degraded')?.status === 'True',
    );
    expect(
      (degraded.status?.conditions?.find((c) => c.type === 'Degraded') as { message?: string } | undefined)
        ?.message,
    ).toMatch(/PersistentVolumeClaim eevee-weather-module-pvc: .*immutable/);
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'weather',
      { spec: { persistentVolumeClaim: weather.persistentVolumeClaim } },
      'test',
    );
    await eventually(
      'Degraded to clear',
      () => getModule(h, 'weather'),
      (m) => m.status?.conditions?.find((c) => c.type === 'Degraded')?.status === 'False',
    );
  });

  it('scales to zero and keeps config and data when disabled', async () => {
    await h.admin.mergePatch(RESOURCES.BotModule, h.ns.name, 'weather', { spec: { enabled: false } }, 'test');
    await waitForPhase(h, 'weather', 'Disabled');
    expect((await deploymentOf(h, 'weather')).spec.replicas).toBe(0);
    await h.admin.get(RESOURCES.ConfigMap, h.ns.name, 'eevee-weather-module-config');
    await h.admin.get(RESOURCES.PersistentVolumeClaim, h.ns.name, 'eevee-weather-module-pvc');
    await h.admin.mergePatch(RESOURCES.BotModule, h.ns.name, 'weather', { spec: { enabled: true } }, 'test');
    await waitForPhase(h, 'weather', 'Ready');
  });
});

describe('a stateless module', () => {
  it('rolls with maxUnavailable 0, scales through the scale subresource with a PDB, autoscales with an HPA', async () => {
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'echo', {
        moduleName: 'echo',
        image: 'ghcr.io/eeveebot/echo:1.3.9',
        ipcConfig: 'samplebot',
      }),
    );
    await waitForPhase(h, 'echo', 'Ready');
    const d = await deploymentOf(h, 'echo');
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(d.spec.template.spec.containers[0]!.livenessProbe).toBeUndefined(); // metrics off: no default probes
    await expect(h.admin.get(RESOURCES.Service, h.ns.name, 'eevee-echo-module')).rejects.toMatchObject({
      code: 404,
    });

    await h.cluster.kubectl(['scale', '-n', h.ns.name, 'botmodule/echo', '--replicas=3']);
    await eventually(
      '3 ready replicas',
      () => deploymentOf(h, 'echo'),
      (x) => x.spec.replicas === 3 && x.status?.readyReplicas === 3,
    );
    const ready = await waitForPhase(h, 'echo', 'Ready');
    expect(ready.status?.replicas).toBe(3);
    await h.admin.get(RESOURCES.PodDisruptionBudget, h.ns.name, 'eevee-echo-module');

    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'echo',
      {
        spec: {
          size: 1,
          autoscaling: { minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
        },
      },
      'test',
    );
    const hpa = await eventually(
      'an HPA',
      () =>
        h.admin.get<{ spec: Record<string, unknown> } & { metadata: { name: string } }>(
          RESOURCES.HorizontalPodAutoscaler,
          h.ns.name,
          'eevee-echo-module',
        ),
      () => true,
    );
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'eevee.bot/v1', kind: 'BotModule', name: 'echo' },
      minReplicas: 1,
      maxReplicas: 4,
    });
    await h.admin.mergePatch(RESOURCES.BotModule, h.ns.name, 'echo', { spec: { autoscaling: null } }, 'test');
    await eventually(
      'the HPA and PDB to be removed',
      async () => {
        const hpas = await h.admin.list(RESOURCES.HorizontalPodAutoscaler, { namespace: h.ns.name });
        const pdbs = await h.admin.list(RESOURCES.PodDisruptionBudget, { namespace: h.ns.name });
        return hpas.items.length + pdbs.items.filter((p) => p.metadata.name === 'eevee-echo-module').length;
      },
      (n) => n === 0,
    );
  });
});

describe('deleting BotModules', () => {
  it('garbage-collects the children and keeps the PVC, unless volumeReclaimPolicy is Delete', async () => {
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'keep', {
        moduleName: 'keep',
        image: 'ghcr.io/eeveebot/seen:1.6.4',
        ipcConfig: 'samplebot',
        moduleConfig: 'a: 1\n',
        persistentVolumeClaim: { resources: { requests: { storage: '1Gi' } } },
      }),
    );
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'drop', {
        moduleName: 'drop',
        image: 'ghcr.io/eeveebot/seen:1.6.4',
        ipcConfig: 'samplebot',
        volumeReclaimPolicy: 'Delete',
        persistentVolumeClaim: { resources: { requests: { storage: '1Gi' } } },
      }),
    );
    await waitForPhase(h, 'keep', 'Ready');
    await waitForPhase(h, 'drop', 'Ready');
    await h.admin.delete(RESOURCES.BotModule, h.ns.name, 'keep');
    await h.admin.delete(RESOURCES.BotModule, h.ns.name, 'drop');
    const gone = async (type: ResourceType, name: string) =>
      h.admin.get(type, h.ns.name, name).then(
        () => false,
        () => true,
      );
    await eventually(
      'children to be garbage-collected',
      async () => [
        await gone(RESOURCES.Deployment, 'eevee-keep-module'),
        await gone(RESOURCES.ConfigMap, 'eevee-keep-module-config'),
        await gone(RESOURCES.PersistentVolumeClaim, 'eevee-drop-module-pvc'),
      ],
      (g) => g.every(Boolean),
    );
    expect(await gone(RESOURCES.PersistentVolumeClaim, 'eevee-keep-module-pvc')).toBe(false);
  });
});
