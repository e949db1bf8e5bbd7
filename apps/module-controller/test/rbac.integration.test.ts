// Least privilege: the controller does all of its work with exactly the Role its code declares (PERMISSIONS, which the chart ships).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import type { BotModuleObject, Harness } from './harness.ts';
import { botModule, publishIpcConfig, startModuleController, waitForPhase } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startModuleController('rbac', { LEADER_ELECT: 'true' }, { asServiceAccount: true });
});

afterAll(async () => {
  await h?.stop();
});

it(
  'creates, updates and prunes every kind of child with only the shipped Role',
  { timeout: 90_000 },
  async () => {
    await publishIpcConfig(h, 'samplebot', 'samplebot-nats-auth');
    await h.admin.apply(
      RESOURCES.Secret,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'env', namespace: h.ns.name },
        stringData: { A: 'b' },
      },
      'test',
    );
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'full', {
        moduleName: 'full',
        image: 'ghcr.io/eeveebot/weather:1.5.5',
        size: 2,
        metrics: true,
        ipcConfig: 'samplebot',
        envSecret: { name: 'env' },
        moduleConfig: 'a: 1\n',
        mountOperatorApiToken: true,
        persistentVolumeClaim: {
          accessModes: ['ReadWriteMany'],
          resources: { requests: { storage: '1Gi' } },
        },
        autoscaling: { minReplicas: 2, maxReplicas: 3 },
      }),
    );
    await eventually(
      'the module to be Ready',
      () => h.admin.get<BotModuleObject>(RESOURCES.BotModule, h.ns.name, 'full'),
      (m) => m.status?.phase === 'Ready',
      60_000,
    );
    for (const [type, name] of [
      [RESOURCES.Deployment, 'eevee-full-module'],
      [RESOURCES.ConfigMap, 'eevee-full-module-config'],
      [RESOURCES.PersistentVolumeClaim, 'eevee-full-module-pvc'],
      [RESOURCES.Service, 'eevee-full-module'],
      [RESOURCES.HorizontalPodAutoscaler, 'eevee-full-module'],
      [RESOURCES.PodDisruptionBudget, 'eevee-full-module'],
    ] as const) {
      await h.admin.get(type, h.ns.name, name);
    }
    // Pruning needs delete.
    await h.admin.mergePatch(
      RESOURCES.BotModule,
      h.ns.name,
      'full',
      { spec: { metrics: false, autoscaling: null, size: 1, moduleConfig: null } },
      'test',
    );
    const after = await waitForPhase(h, 'full', 'Ready');
    expect(after.status?.conditions?.find((c) => c.type === 'Degraded')?.status).toBe('False');
    const left = await h.admin.list(RESOURCES.Service, { namespace: h.ns.name });
    expect(left.items.filter((s) => s.metadata.name === 'eevee-full-module')).toEqual([]);
    await expect(
      h.admin.get(RESOURCES.ConfigMap, h.ns.name, 'eevee-full-module-config'),
    ).rejects.toMatchObject({ code: 404 });
    // Leader election worked with the Role's lease permissions.
    expect(h.manager.isLeader()).toBe(true);
    await h.admin.get(RESOURCES.Lease, h.ns.name, 'eevee-module-controller');
  },
);
