// Token Secrets the user provides, an external NATS, and the whole contract end to end: what the controller
// writes (ConfigMap, Secret, status) runs the real nats-server, and a module's credentials from them connect.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { freePorts, podEnvironment, startNatsFromConfig } from '@eevee/testenv';
import type { V1EnvVar } from '@kubernetes/client-node';
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
  h = await startIpcController('ipctoken');
});
afterAll(async () => {
  await h?.stop();
});

const putSecret = (name: string, stringData: Record<string, string>) =>
  h.admin.apply(
    RESOURCES.Secret,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: h.ns.name }, stringData },
    'test',
  );
const exists = (type: ResourceType, name: string) =>
  h.admin.get(type, h.ns.name, name).then(
    () => true,
    () => false,
  );

describe('token Secrets the user provides', () => {
  it('reports SecretNotFound when generation is off, and becomes Ready once the Secret exists', async () => {
    const ref = { generate: false, secretKeyRef: { secret: { name: 'own-token' }, key: 'password' } };
    await applyIpcConfig(h, 'own', { token: ref });
    const waiting = await waitForIpc(
      h,
      'own',
      'SecretNotFound',
      (i) => condition(i, 'Ready')?.reason === 'SecretNotFound',
    );
    expect(condition(waiting, 'Ready')).toMatchObject({ status: 'False' });
    expect(condition(waiting, 'Ready')?.message).toContain('own-token');
    expect(waiting.status?.tokenSecretRef).toBeUndefined();
    expect(await exists(RESOURCES.Deployment, 'eevee-own-nats')).toBe(false);
    expect(await exists(RESOURCES.Secret, 'own-token')).toBe(false); // never generated

    await putSecret('own-token', {
      password: 'user-chosen-secret',
      host: `eevee-own-nats.${h.ns.name}.svc.cluster.local`,
    });
    const ready = await waitForIpc(h, 'own', 'Ready', isReady);
    expect(ready.status?.tokenSecretRef).toEqual({ name: 'own-token', key: 'password' });
    const deployment = await h.admin.get<
      KubeObject & { spec: { template: { spec: { containers: { env: unknown[] }[] } } } }
    >(RESOURCES.Deployment, h.ns.name, 'eevee-own-nats');
    expect(deployment.spec.template.spec.containers[0]!.env).toContainEqual({
      name: 'NATS_TOKEN_SECRET',
      valueFrom: { secretKeyRef: { name: 'own-token', key: 'password' } },
    });
  });

  it('says which key a Secret lacks (SecretInvalid)', async () => {
    await putSecret('hostless', { token: 'abc' });
    await applyIpcConfig(h, 'hostless', { token: { secretKeyRef: { secret: { name: 'hostless' } } } });
    const ipc = await waitForIpc(
      h,
      'hostless',
      'SecretInvalid',
      (i) => condition(i, 'Ready')?.reason === 'SecretInvalid',
    );
    expect(condition(ipc, 'Ready')?.message).toBe(
      'Secret "hostless" has no "host" key; modules read the token and host from it',
    );
    await putSecret('hostless', { token: "it's", host: 'somewhere' });
    const quoted = await waitForIpc(h, 'hostless', 'the token refused', (i) =>
      (condition(i, 'Ready')?.message ?? '').includes('single quote'),
    );
    expect(condition(quoted, 'Ready')?.message).toBe(
      'The token in Secret "hostless" (key "token") contains a single quote or a line break, which the NATS configuration cannot carry',
    );
    await putSecret('hostless', { token: 'abc', host: 'somewhere' });
    await waitForIpc(h, 'hostless', 'Ready', isReady);
  });

  it('refuses, for a cluster only, a token its route URLs could not carry (routes authenticate with it)', async () => {
    await putSecret('slashed', { token: 'a/b?c#d', host: 'somewhere' });
    const ref = { generate: false, secretKeyRef: { secret: { name: 'slashed' } } };
    await applyIpcConfig(h, 'slashed', { token: ref });
    await waitForIpc(h, 'slashed', 'Ready as one server', isReady);
    await applyIpcConfig(h, 'slashed', { token: ref, managed: { replicas: 3 } });
    const ipc = await waitForIpc(
      h,
      'slashed',
      'SecretInvalid',
      (i) => condition(i, 'Ready')?.reason === 'SecretInvalid',
    );
    expect(condition(ipc, 'Ready')?.message).toBe(
      'The token in Secret "slashed" (key "token") has characters a cluster\'s route URLs cannot carry (routes authenticate with the token): use letters, digits and -._~!$&()*+,;=:@',
    );
    // The workload waits for a usable token: no StatefulSet whose routes could not form.
    expect(await exists(RESOURCES.StatefulSet, 'eevee-slashed-nats')).toBe(false);
  });

  it('refuses to rotate a token it does not generate, with a Warning Event', async () => {
    await applyIpcConfig(
      h,
      'own',
      { token: { generate: false, secretKeyRef: { secret: { name: 'own-token' }, key: 'password' } } },
      { 'eevee.bot/rotate-token': 'now' },
    );
    await sleep(1_500);
    expect((await secretData(h, 'own-token'))['password']).toBe('user-chosen-secret');
    expect(await eventsOf(h, 'own')).toContainEqual(expect.stringMatching(/^RotationRefused: /));
  });
});

describe('an external NATS (managed.enabled: false)', () => {
  it('deploys nothing, uses the Secret as given, and still publishes what modules need', async () => {
    await applyIpcConfig(h, 'ext', {
      managed: { enabled: false },
      token: { secretKeyRef: { secret: { name: 'ext-token' } } },
    });
    // Nothing to generate for a server we do not run.
    await waitForIpc(h, 'ext', 'SecretNotFound', (i) => condition(i, 'Ready')?.reason === 'SecretNotFound');
    expect(await exists(RESOURCES.Secret, 'ext-token')).toBe(false);

    await putSecret('ext-token', { token: 't0k3n', host: 'nats.example.org' });
    const ipc = await waitForIpc(h, 'ext', 'Ready', isReady);
    expect(ipc.status).toMatchObject({
      url: 'nats://nats.example.org:4222',
      tokenSecretRef: { name: 'ext-token', key: 'token' },
    });
    expect(condition(ipc, 'Ready')?.reason).toBe('ExternalNats');
    expect(condition(ipc, 'ServerReady')).toBeUndefined();
    for (const [type, name] of [
      [RESOURCES.Deployment, 'eevee-ext-nats'],
      [RESOURCES.Service, 'eevee-ext-nats'],
      [RESOURCES.ConfigMap, 'eevee-ext-nats-config'],
    ] as const)
      expect(await exists(type, name)).toBe(false);
  });
});

describe('the contract with modules, on the real nats-server', () => {
  it('runs the ConfigMap the controller wrote with its Secret, and a module with the credentials status names connects', async () => {
    await applyIpcConfig(h, 'live', { token: { secretKeyRef: { secret: { name: 'live-token' } } } });
    const ipc = await waitForIpc(h, 'live', 'Ready', isReady);
    const config = await h.admin.get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.ConfigMap,
      h.ns.name,
      'eevee-live-nats-config',
    );
    const secret = await secretData(h, ipc.status!.tokenSecretRef!.name);
    // The server's env exactly as a pod of the Deployment gets it from the Secret.
    const deployment = await h.admin.get<
      KubeObject & { spec: { template: { spec: { containers: { env: V1EnvVar[] }[] } } } }
    >(RESOURCES.Deployment, h.ns.name, 'eevee-live-nats');
    const env = podEnvironment(deployment.spec.template.spec.containers[0]!.env, {
      [ipc.status!.tokenSecretRef!.name]: secret,
    });
    const [port, monitor] = await freePorts(2);
    const server = await startNatsFromConfig(config.data['nats.conf']!, {
      env,
      args: ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
      monitorPort: monitor!,
    });
    try {
      // A module's env (module-controller: NATS_TOKEN from the key status names); its NATS_HOST, the cluster DNS
      // name in the Secret's host key, is this loopback server here.
      expect(secret['host']).toBe(`eevee-live-nats.${h.ns.name}.svc.cluster.local`);
      const module = await connect({
        servers: `nats://127.0.0.1:${port}`,
        token: secret[ipc.status!.tokenSecretRef!.key]!,
        reconnect: false,
      });
      await module.flush();
      await module.close();
      await expect(
        connect({ servers: `nats://127.0.0.1:${port}`, token: 'guess', reconnect: false }),
      ).rejects.toThrow(/authorization/i);
    } finally {
      await server.stop();
    }
  });
});
