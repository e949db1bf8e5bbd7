// A restart through the api-gateway, across two processes: the gateway (as its ServiceAccount, with only the
// shipped Role) sets eevee.bot/restartedAt on the BotModule; the module-controller copies it to the pod
// template and the Deployment rolls to a new ReplicaSet whose pods become Ready. The gateway never writes the
// Deployment. Both routes: the versioned one (202) and upstream's (200, the admin module's call).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { applyRbac } from '@eevee/runtime/testing';
import { GATEWAY_PERMISSIONS } from '@eevee/api-gateway/permissions';
import { startController } from '../src/index.ts';
import type { RunningController } from '../src/index.ts';

const TOKEN = 'e2e-gateway-token-0123456789abcdef';

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let dir: string;
let gateway: RunningController;
const controllers: RunningController[] = [];

type Status = { phase?: string; observedGeneration?: number };
type ReplicaSet = KubeObject & {
  spec: { template: { metadata: { annotations?: Record<string, string> } } };
  status?: { readyReplicas?: number };
};
type Deployment = ReplicaSet;

beforeAll(async () => {
  cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  ns = await createTestNamespace(cluster, 'e2egw');
  admin = new KubeClient(cluster.kubeConfig);
  await applyRbac(cluster, 'eevee-api-gateway', ns.name, GATEWAY_PERMISSIONS);
  const identity = await cluster.serviceAccountKubeConfig(ns.name, 'eevee-api-gateway');
  dir = mkdtempSync(join(tmpdir(), 'e2e-gateway-'));
  writeFileSync(join(dir, 'kubeconfig'), identity.exportConfig());
  const [moduleController, started] = await Promise.all([
    startController('module-controller', cluster, ns.name),
    startController('api-gateway', cluster, ns.name, {
      KUBECONFIG: join(dir, 'kubeconfig'),
      EEVEE_OPERATOR_API_TOKEN: TOKEN,
    }),
  ]);
  controllers.push(moduleController, started);
  gateway = started;
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await ns?.delete();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${gateway.port}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });
const replicaSets = async () =>
  (
    await admin.list<ReplicaSet>(RESOURCES.ReplicaSet, {
      namespace: ns.name,
      labelSelector: 'eevee.bot/module=echo',
    })
  ).items;
const moduleIsReady = () =>
  eventually(
    'echo Ready',
    () => admin.get<KubeObject & { status?: Status }>(RESOURCES.BotModule, ns.name, 'echo'),
    (m) => m.status?.phase === 'Ready' && m.status.observedGeneration === m.metadata.generation,
    60_000,
  );

/** Waits for the rollout of `restartedAt`: a ReplicaSet with it in its template, all its pods ready. */
async function rolledOutTo(restartedAt: string, replicaSetsBefore: number): Promise<void> {
  const deployment = await eventually(
    'the pod template to carry the restart',
    () => admin.get<Deployment>(RESOURCES.Deployment, ns.name, 'eevee-echo-module'),
    (d) => d.spec.template.metadata.annotations?.['eevee.bot/restartedAt'] === restartedAt,
    30_000,
  );
  expect(JSON.stringify(deployment.metadata.managedFields)).not.toContain('eevee-api-gateway');
  const sets = await eventually(
    'a new ReplicaSet with ready pods',
    replicaSets,
    (rs) =>
      rs.length === replicaSetsBefore + 1 &&
      rs.some(
        (r) =>
          r.spec.template.metadata.annotations?.['eevee.bot/restartedAt'] === restartedAt &&
          r.status?.readyReplicas === 1,
      ),
    60_000,
  );
  expect(sets).toHaveLength(replicaSetsBefore + 1);
}

describe('restarting a module through the api-gateway', () => {
  it('rolls the Deployment to a new ReplicaSet (v1 route, 202)', async () => {
    await admin.create(RESOURCES.BotModule, {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name: 'echo', namespace: ns.name },
      spec: { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' },
    });
    await moduleIsReady();
    const before = await eventually('one ReplicaSet', replicaSets, (rs) => rs.length === 1);
    // The gateway's cache has the module.
    await eventually(
      'echo in the gateway',
      async () => (await api(`/api/v1/namespaces/${ns.name}/botmodules/echo`)).status,
      (s) => s === 200,
    );

    const response = await api(`/api/v1/namespaces/${ns.name}/botmodules/echo/restart`, { method: 'POST' });
    expect(response.status).toBe(202);
    const { restartedAt } = (await response.json()) as { restartedAt: string };
    await rolledOutTo(restartedAt, before.length);
    await moduleIsReady();
    // The gateway shows the new pod (newest) once the old one is gone.
    const list = await eventually(
      'the gateway to show the restarted module',
      async () =>
        (await (await api('/api/v1/botmodules')).json()) as {
          items: { restartedAt: string; pods: unknown[]; phase: string }[];
        },
      (b) =>
        b.items[0]?.restartedAt === restartedAt &&
        b.items[0].pods.length === 1 &&
        b.items[0].phase === 'Ready',
      60_000,
    );
    expect(list.items).toHaveLength(1);
  });

  it('rolls it again through the upstream route the admin module calls (200)', async () => {
    const before = (await replicaSets()).length;
    const response = await api('/api/action/restart-module', {
      method: 'POST',
      body: JSON.stringify({ moduleName: 'echo', namespace: ns.name }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Module echo restart initiated successfully' });
    const echo = await admin.get(RESOURCES.BotModule, ns.name, 'echo');
    const restartedAt = echo.metadata.annotations?.['eevee.bot/restartedAt'] ?? '';
    await rolledOutTo(restartedAt, before);
  });
});
