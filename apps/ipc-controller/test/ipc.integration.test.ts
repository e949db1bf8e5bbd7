// A managed NATS on the real cluster (kwok makes its pods Ready), with the controller running as its
// ServiceAccount: token generation, the server and its companions, status, no-op resyncs, config rollouts,
// rotation, clustered mode, and deletion.
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFECTIVE_DEFAULTS } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import {
  applyIpcConfig,
  condition,
  eventsOf,
  isReady,
  secretData,
  startIpcController,
  waitForIpc,
} from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startIpcController('ipc');
});
afterAll(async () => {
  await h?.stop();
});

type PodTemplateHolder = KubeObject & {
  spec: { template: { metadata: { annotations: Record<string, string> } } };
  status?: { readyReplicas?: number };
};
const get = <T extends KubeObject = KubeObject>(type: ResourceType, name: string) =>
  h.admin.get<T>(type, h.ns.name, name);
const exists = (type: ResourceType, name: string) =>
  get(type, name).then(
    () => true,
    () => false,
  );
const hashOf = async (name: string) =>
  (await get<PodTemplateHolder>(RESOURCES.Deployment, name)).spec.template.metadata.annotations[
    'eevee.bot/config-hash'
  ];

describe('a managed NATS', () => {
  it('generates the token Secret once, runs the server, and publishes what modules need, nothing secret', async () => {
    await applyIpcConfig(h, 'bot', {});
    const ipc = await waitForIpc(h, 'bot', 'Ready', isReady);
    expect(ipc.status).toMatchObject({
      url: `nats://eevee-bot-nats.${h.ns.name}.svc:4222`,
      tokenSecretRef: { name: 'nats-token', key: 'token' },
    });
    expect(condition(ipc, 'Ready')).toMatchObject({ reason: 'NatsDeployed' });
    expect(condition(ipc, 'TokenReady')).toMatchObject({ status: 'True' });
    expect(condition(ipc, 'ServerReady')).toMatchObject({ status: 'True' });

    const data = await secretData(h, 'nats-token');
    expect(Object.keys(data).sort()).toEqual(['host', 'token']);
    expect(data['host']).toBe(`eevee-bot-nats.${h.ns.name}.svc.cluster.local`);
    expect(data['token']).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 CSPRNG bytes, base64url
    const secret = await get(RESOURCES.Secret, 'nats-token');
    expect(secret.metadata.ownerReferences).toBeUndefined();

    const config = await get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.ConfigMap,
      'eevee-bot-nats-config',
    );
    expect(config.data['nats.conf']).toContain('token: $NATS_TOKEN');
    const service = await get<KubeObject & { spec: { ports: { name: string; port: number }[] } }>(
      RESOURCES.Service,
      'eevee-bot-nats',
    );
    expect(service.spec.ports.map((p) => `${p.name}:${p.port}`)).toEqual([
      'client:4222',
      'monitor:8222',
      'metrics:7777',
    ]);
    const deployment = await get<PodTemplateHolder>(RESOURCES.Deployment, 'eevee-bot-nats');
    expect(deployment.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'IpcConfig', name: 'bot' });

    // The token is in the Secret and nowhere else the controller writes.
    const written = JSON.stringify([ipc, config, service, deployment, await eventsOf(h, 'bot')]);
    expect(written).not.toContain(data['token']);
    expect(await eventsOf(h, 'bot')).toContainEqual(expect.stringMatching(/^TokenGenerated: /));
  });

  it('writes nothing on resyncs once converged', async () => {
    await waitForIpc(h, 'bot', 'Ready', isReady);
    await sleep(1_000);
    const before = h.manager.client.writes;
    for (let i = 0; i < 3; i++) {
      h.manager.controllers[0]!.enqueue(`${h.ns.name}/bot`);
      await sleep(500);
    }
    expect(h.manager.client.writes - before).toBe(0);
  });

  it('rolls the server when its configuration changes, and only then', async () => {
    const before = await hashOf('eevee-bot-nats');
    await applyIpcConfig(h, 'bot', { managed: { maxPayload: 4194304 } });
    await waitForIpc(h, 'bot', 'Ready with the new config', isReady);
    const config = await get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.ConfigMap,
      'eevee-bot-nats-config',
    );
    expect(config.data['nats.conf']).toContain('max_payload: 4194304');
    const after = await hashOf('eevee-bot-nats');
    expect(after).not.toBe(before);
    // The same spec again changes nothing.
    await applyIpcConfig(h, 'bot', { managed: { maxPayload: 4194304 } });
    await sleep(1_000);
    expect(await hashOf('eevee-bot-nats')).toBe(after);
  });

  it('rotates the token once per rotate annotation value, and the server rolls', async () => {
    const old = (await secretData(h, 'nats-token'))['token'];
    const before = await hashOf('eevee-bot-nats');
    await applyIpcConfig(h, 'bot', { managed: { maxPayload: 4194304 } }, { 'eevee.bot/rotate-token': 'r1' });
    const rotated = await eventually(
      'the token to change',
      () => secretData(h, 'nats-token'),
      (d) => d['token'] !== old,
    );
    await eventually(
      'the server to roll',
      () => hashOf('eevee-bot-nats'),
      (hash) => hash !== before,
    );
    const secret = await get(RESOURCES.Secret, 'nats-token');
    expect(secret.metadata.annotations?.['eevee.bot/token-rotation']).toBe('r1');
    expect(await eventsOf(h, 'bot')).toContainEqual(expect.stringMatching(/^TokenRotated: /));
    // Reconciling again with the same value does not rotate again.
    h.manager.controllers[0]!.enqueue(`${h.ns.name}/bot`);
    await sleep(1_500);
    expect((await secretData(h, 'nats-token'))['token']).toBe(rotated['token']);
  });

  it('runs three servers as a StatefulSet with routes, a headless Service and a PDB, and back', async () => {
    await applyIpcConfig(h, 'bot', { managed: { replicas: 3 } });
    const ipc = await waitForIpc(h, 'bot', 'Ready as a cluster', isReady, 90_000);
    expect(condition(ipc, 'ServerReady')).toMatchObject({ status: 'True', reason: 'NatsDeployed' });
    const sts = await get<
      KubeObject & { spec: { replicas: number; serviceName: string }; status: { readyReplicas: number } }
    >(RESOURCES.StatefulSet, 'eevee-bot-nats');
    expect(sts.spec).toMatchObject({ replicas: 3, serviceName: 'eevee-bot-nats-cluster' });
    expect(sts.status.readyReplicas).toBe(3);
    expect(await exists(RESOURCES.Service, 'eevee-bot-nats-cluster')).toBe(true);
    expect(await exists(RESOURCES.PodDisruptionBudget, 'eevee-bot-nats')).toBe(true);
    await eventually(
      'the single-server Deployment to go',
      () => exists(RESOURCES.Deployment, 'eevee-bot-nats'),
      (e) => !e,
    );
    const config = await get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.ConfigMap,
      'eevee-bot-nats-config',
    );
    // Routes authenticate with the token, which neither the ConfigMap nor the pod template holds.
    expect(config.data['nats.conf']).toContain('password: $NATS_TOKEN');
    expect(config.data['nats.conf']).toContain('routes: $NATS_ROUTES');
    const members = await get<
      KubeObject & {
        spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
      }
    >(RESOURCES.StatefulSet, 'eevee-bot-nats');
    const routes = members.spec.template.spec.containers[0]!.env.find((e) => e.name === 'NATS_ROUTES');
    expect(routes?.value).toContain(
      `'nats://route:$(NATS_TOKEN_SECRET)@eevee-bot-nats-2.eevee-bot-nats-cluster.${h.ns.name}.svc.cluster.local:6222'`,
    );
    const token = (await secretData(h, 'nats-token'))['token']!;
    expect(JSON.stringify([config, members])).not.toContain(token);

    // (Applying `nats: {}` here would not do: server-side apply turns a map emptied of owned fields into null.)
    await applyIpcConfig(h, 'bot', { managed: { replicas: 1 } });
    await waitForIpc(h, 'bot', 'Ready as one server again', isReady, 90_000);
    await eventually(
      'the StatefulSet to go',
      () => exists(RESOURCES.StatefulSet, 'eevee-bot-nats'),
      (e) => !e,
    );
    expect(await exists(RESOURCES.Service, 'eevee-bot-nats-cluster')).toBe(false);
    expect(await exists(RESOURCES.PodDisruptionBudget, 'eevee-bot-nats')).toBe(false);
  });

  it('on deletion, garbage-collects the server, config and Service, keeps the Secret, and a re-creation reuses it', async () => {
    const token = (await secretData(h, 'nats-token'))['token'];
    await h.admin.delete(RESOURCES.IpcConfig, h.ns.name, 'bot');
    for (const [type, name] of [
      [RESOURCES.Deployment, 'eevee-bot-nats'],
      [RESOURCES.ConfigMap, 'eevee-bot-nats-config'],
      [RESOURCES.Service, 'eevee-bot-nats'],
    ] as const)
      await eventually(
        `${type.kind} ${name} to be collected`,
        () => exists(type, name),
        (e) => !e,
        60_000,
      );
    expect((await secretData(h, 'nats-token'))['token']).toBe(token);

    await applyIpcConfig(h, 'bot', {});
    await waitForIpc(h, 'bot', 'Ready again', isReady);
    expect((await secretData(h, 'nats-token'))['token']).toBe(token);
  });
});

describe('the server container as the spec asks', () => {
  type Container = { name: string; image: string; imagePullPolicy: string; resources?: unknown };
  const serverContainer = async (type: ResourceType) =>
    (
      await get<KubeObject & { spec: { template: { spec: { containers: Container[] } } } }>(
        type,
        'eevee-tuned-nats',
      )
    ).spec.template.spec.containers.find((c) => c.name === 'nats-server')!;
  const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } };
  const tuned = {
    image: 'registry.example.org/mirror/nats:2.15.2-alpine',
    imagePullPolicy: 'Always',
    resources,
  };
  const token = { secretKeyRef: { secret: { name: 'tuned-token' } } };

  it('runs the image, pull policy and resources of managed on one server and on a cluster', async () => {
    await applyIpcConfig(h, 'tuned', { token, managed: tuned });
    await waitForIpc(h, 'tuned', 'Ready', isReady);
    expect(await serverContainer(RESOURCES.Deployment)).toMatchObject(tuned);

    await applyIpcConfig(h, 'tuned', { token, managed: { ...tuned, replicas: 3 } });
    await waitForIpc(h, 'tuned', 'Ready as a cluster', isReady, 90_000);
    expect(await serverContainer(RESOURCES.StatefulSet)).toMatchObject(tuned);
  });

  it('rolls the servers onto a new image and new resources, and back to the defaults without them', async () => {
    const next = {
      image: 'registry.example.org/mirror/nats:2.15.3-alpine',
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    };
    await applyIpcConfig(h, 'tuned', { token, managed: { ...next, replicas: 3 } });
    await eventually(
      'the StatefulSet to take the new image and resources',
      () => serverContainer(RESOURCES.StatefulSet),
      (c) => c.image === next.image && isDeepStrictEqual(c.resources, next.resources),
    );
    expect(await serverContainer(RESOURCES.StatefulSet)).toMatchObject(next);

    await applyIpcConfig(h, 'tuned', { token, managed: { replicas: 1 } });
    await waitForIpc(h, 'tuned', 'Ready as one server', isReady, 90_000);
    const defaults = await serverContainer(RESOURCES.Deployment);
    expect(defaults).toMatchObject({
      image: EFFECTIVE_DEFAULTS.natsImage,
      imagePullPolicy: EFFECTIVE_DEFAULTS.imagePullPolicy,
    });
    expect(defaults.resources ?? {}).toEqual({});
  });
});
