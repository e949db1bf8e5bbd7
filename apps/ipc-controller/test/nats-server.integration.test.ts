// The generated configuration on the real nats-server binary (the release the default image pins), on loopback:
// flags move its ports to free ones (and the JetStream store to a temporary directory); everything else is the
// text the controller puts in the ConfigMap.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { ipcConfigSchema } from '@eevee/crds';
import { checkNatsConfig, eventually, freePorts, podEnvironment, startNatsFromConfig } from '@eevee/testenv';
import type { NatsFromConfig } from '@eevee/testenv';
import { clusterRoutes, natsConfig } from '../src/desired/nats-config.ts';
import { tokenEnvironment } from '../src/desired/server.ts';
import { newToken } from '../src/token.ts';

const managed = (spec: Record<string, unknown>) =>
  ipcConfigSchema.parse({
    apiVersion: 'eevee.bot/v1',
    kind: 'IpcConfig',
    metadata: { name: 'bot', namespace: 'chat' },
    spec: { nats: { managed: spec } },
  }).spec.nats.managed!;

const token = newToken();
/** The server's environment as a pod of the controller's workload gets it (see server.ts). */
const serverEnv = (value: string, podName?: string) =>
  podEnvironment(
    tokenEnvironment({ name: 'nats-token', key: 'token' }),
    { 'nats-token': { token: value } },
    podName,
  );
const started: NatsFromConfig[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eevee-js-'));
  dirs.push(dir);
  return dir;
}

describe('the generated NATS configuration on the real nats-server', () => {
  it('passes `nats-server -t` in every shape the spec allows', async () => {
    const shapes = [
      managed({}),
      managed({ maxPayload: 8 * 1024 * 1024, jetstream: { enabled: true } }),
      managed({ replicas: 3, jetstream: { enabled: true }, metrics: false }),
    ];
    for (const m of shapes) {
      const config = natsConfig({
        name: 'bot',
        managed: m,
        routes: m.replicas >= 3 ? clusterRoutes('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', 3) : [],
      });
      const result = await checkNatsConfig(config, { ...serverEnv(token), SERVER_NAME: 'eevee-bot-nats-0' });
      expect(result, config).toMatchObject({ code: 0 });
    }
  });

  it('starts, lets in a client with the token from the environment, and refuses a wrong or missing token', async () => {
    const [port, monitor] = await freePorts(2);
    const config = natsConfig({
      name: 'bot',
      managed: managed({ maxPayload: 2 * 1024 * 1024, jetstream: { enabled: true } }),
      routes: [],
    });
    // The pod's store directory is a volume mount; here it is a temporary directory (no flag overrides it).
    const local = config.replace('"/data/jetstream"', JSON.stringify(await storeDir()));
    expect(local).not.toBe(config);
    const server = await startNatsFromConfig(local, {
      env: serverEnv(token),
      args: ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
      monitorPort: monitor!,
    });
    started.push(server);
    const servers = `nats://127.0.0.1:${port}`;

    const client = await connect({ servers, token, reconnect: false });
    expect(client.info?.max_payload).toBe(2 * 1024 * 1024);
    expect(client.info?.server_name).toBe('bot');
    const sub = client.subscribe('eevee.test');
    client.publish('eevee.test', 'hello');
    for await (const m of sub) {
      expect(m.string()).toBe('hello');
      break;
    }
    await client.close();

    for (const wrong of [{ token: `${token}x` }, {}]) {
      await expect(connect({ servers, reconnect: false, ...wrong })).rejects.toThrow(/authorization/i);
    }
    const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as {
      jetstream?: { config?: unknown };
    };
    expect(varz.jetstream?.config).toBeDefined();
    // The token is nowhere in what the server logs.
    expect(await server.log()).not.toContain(token);
  });

  it('takes user tokens the config syntax would otherwise read as numbers, booleans or syntax', async () => {
    const config = natsConfig({ name: 'bot', managed: managed({}), routes: [] });
    for (const awkward of ['123456', 'true', '12kb', 'a b#c{}"x:y=z;', 'back\\slash$HOME']) {
      const [port, monitor] = await freePorts(2);
      const server = await startNatsFromConfig(config, {
        env: serverEnv(awkward),
        args: ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
        monitorPort: monitor!,
      });
      try {
        const client = await connect({
          servers: `nats://127.0.0.1:${port}`,
          token: awkward,
          reconnect: false,
        });
        await client.close();
      } finally {
        await server.stop();
      }
    }
  });

  it('three servers from the cluster configuration route to each other and carry messages across', async () => {
    const ports = await freePorts(9);
    const members = [0, 1, 2].map((i) => ({
      client: ports[i * 3]!,
      monitor: ports[i * 3 + 1]!,
      cluster: ports[i * 3 + 2]!,
    }));
    const config = natsConfig({
      name: 'bot',
      managed: managed({ replicas: 3 }),
      routes: clusterRoutes('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', 3),
    });
    // Cluster DNS names do not resolve here: the same routes, on loopback.
    const routes = members.map((m) => `nats://127.0.0.1:${m.cluster}`).join(',');
    const servers = await Promise.all(
      members.map((m, i) =>
        startNatsFromConfig(config, {
          env: { ...serverEnv(token), SERVER_NAME: `eevee-bot-nats-${i}` },
          args: [
            '-a',
            '127.0.0.1',
            '-p',
            String(m.client),
            '-m',
            String(m.monitor),
            '--cluster',
            `nats://127.0.0.1:${m.cluster}`,
            '--routes',
            routes,
          ],
          monitorPort: m.monitor,
        }),
      ),
    );
    started.push(...servers);
    for (const s of servers)
      await eventually(
        'the route mesh to form',
        async () =>
          ((await (await fetch(`${s.monitorUrl}/routez`)).json()) as { num_routes: number }).num_routes,
        (n) => n >= 2,
        30_000,
      );
    const a = await connect({ servers: `nats://127.0.0.1:${members[0]!.client}`, token, reconnect: false });
    const c = await connect({ servers: `nats://127.0.0.1:${members[2]!.client}`, token, reconnect: false });
    const sub = c.subscribe('eevee.routed');
    await c.flush();
    // Interest propagates over the routes asynchronously: publish until the far member delivers.
    const received = (async () => {
      for await (const m of sub) return m.string();
      return undefined;
    })();
    const timer = setInterval(() => a.publish('eevee.routed', 'across'), 100);
    try {
      expect(await received).toBe('across');
    } finally {
      clearInterval(timer);
      await a.close();
      await c.close();
    }
  });
});
