// The generated configuration on the real nats-server binary (the release the default image pins), on loopback:
// flags move its client and monitor ports to free ones (a cluster's route port and the JetStream store are moved
// in the text: no flag sets them without dropping the route authorization); everything else is the text the
// controller puts in the ConfigMap, with the environment its pods get.
import { mkdtemp, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { ipcConfigSchema } from '@eevee/crds';
import type { KubeObject } from '@eevee/runtime';
import { checkNatsConfig, eventually, freePorts, podEnvironment, startNatsFromConfig } from '@eevee/testenv';
import type { NatsFromConfig } from '@eevee/testenv';
import type { V1EnvVar } from '@kubernetes/client-node';
import { NATS_PORTS, clusterMembers, natsConfig } from '../src/desired/nats-config.ts';
import { desiredStatefulSet, tokenEnvironment } from '../src/desired/server.ts';
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
      const config = natsConfig({ name: 'bot', managed: m });
      const members = clusterMembers('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', 3);
      const env = m.replicas >= 3 ? memberEnv(token, members, 'eevee-bot-nats-0') : serverEnv(token);
      const result = await checkNatsConfig(config, env);
      expect(result, config).toMatchObject({ code: 0 });
    }
  });

  it('starts, lets in a client with the token from the environment, and refuses a wrong or missing token', async () => {
    const [port, monitor] = await freePorts(2);
    const config = natsConfig({
      name: 'bot',
      managed: managed({ maxPayload: 2 * 1024 * 1024, jetstream: { enabled: true } }),
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
    const config = natsConfig({ name: 'bot', managed: managed({}) });
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

  it('three servers from the cluster configuration mesh over routes authenticated with the token and carry messages', async () => {
    const cluster = await startCluster(token);
    await meshed(cluster);
    await carriesAcross(cluster);
    for (const s of cluster.servers) expect(await s.log()).not.toContain(token);
  });

  it('refuses a route with a wrong token or without credentials; the cluster carries on without it', async () => {
    const cluster = await startCluster(token);
    await meshed(cluster);
    const seed = cluster.members[0]!;
    // An intruder with the same generated config but another token, and a plain unauthenticated route.
    const [wrong, bare] = await Promise.all([
      startMember(`${token}x`, cluster.members, 3, await member()),
      (async () => {
        const m = await member();
        const config = [
          `port: ${m.client}`,
          `monitor_port: ${m.monitor}`,
          'server_name: "bare"',
          'cluster {',
          '  name: "bot"',
          '  host: "127.0.0.1"',
          `  port: ${m.cluster}`,
          `  routes: ["nats://127.0.0.1:${seed.cluster}"]`,
          '}',
        ].join('\n');
        const server = await startNatsFromConfig(config, {
          args: ['-a', '127.0.0.1'],
          monitorPort: m.monitor,
        });
        started.push(server);
        return server;
      })(),
    ]);
    await eventually(
      'the seed to refuse both',
      async () => (await cluster.servers[0]!.log()).match(/authentication error/gi)?.length ?? 0,
      (n) => n >= 2,
      30_000,
    );
    await sleep(1_000);
    for (const intruder of [wrong, bare]) expect(await routedPeers(intruder)).toEqual(0);
    for (const s of cluster.servers) expect(await routedPeers(s)).toBe(2);
    await carriesAcross(cluster);
  });

  it('survives the loss of a member: the others keep carrying messages, and its clients move to them', async () => {
    const cluster = await startCluster(token);
    await meshed(cluster);
    const url = (m: Member) => `nats://127.0.0.1:${m.client}`;
    const [first, dying, last] = cluster.members as [Member, Member, Member];
    // A module connected to the member that dies; its server list holds the others, as the Service gives them.
    const moved = await connect({
      servers: [url(dying), url(first), url(last)],
      noRandomize: true,
      token,
      reconnectTimeWait: 100,
    });
    expect(moved.getServer()).toBe(`127.0.0.1:${dying.client}`);
    process.kill(cluster.servers[1]!.pid, 'SIGKILL'); // a node lost, not a graceful shutdown
    await carriesAcross({ members: [first, dying, last] });
    await eventually(
      'the client to reconnect to a surviving member',
      () => Promise.resolve(moved.getServer()),
      (server) => server !== `127.0.0.1:${dying.client}`,
      30_000,
    );
    const sub = moved.subscribe('eevee.survivor');
    await moved.flush();
    const publisher = await connect({ servers: url(last), token, reconnect: false });
    const received = (async () => {
      for await (const m of sub) return m.string();
      return undefined;
    })();
    const timer = setInterval(() => publisher.publish('eevee.survivor', 'still here'), 100);
    try {
      expect(await received).toBe('still here');
    } finally {
      clearInterval(timer);
      await publisher.close();
      await moved.close();
    }
  });

  it('meshes with any token a route URL can carry', async () => {
    const awkward = 'a:b@c!$&()*+,;=~.-_';
    const cluster = await startCluster(awkward);
    await meshed(cluster);
    await carriesAcross(cluster, awkward);
  });
});

interface Member {
  client: number;
  monitor: number;
  cluster: number;
}
const member = async (): Promise<Member> => {
  const [client, monitor, cluster] = await freePorts(3);
  return { client: client!, monitor: monitor!, cluster: cluster! };
};

/**
 * A member's environment as the kubelet resolves the controller's StatefulSet pod template: the token, its pod
 * name, and the routes (cluster DNS names do not resolve here: the same members on loopback ports).
 */
function memberEnv(value: string, routes: string[], podName: string): Record<string, string> {
  const sts = desiredStatefulSet({
    owner: {
      apiVersion: 'eevee.bot/v1',
      kind: 'IpcConfig',
      metadata: { name: 'bot', namespace: 'chat', uid: 'u-1' },
    },
    managed: managed({ replicas: 3 }),
    token: { name: 'nats-token', key: 'token' },
    routes,
    configHash: 'h',
    fieldManager: 'test',
  }) as KubeObject & { spec: { template: { spec: { containers: { env: V1EnvVar[] }[] } } } };
  return podEnvironment(
    sts.spec.template.spec.containers[0]!.env,
    { 'nats-token': { token: value } },
    podName,
  );
}

/** One member on the generated config; only the route listener moves to loopback and a free port. */
async function startMember(
  value: string,
  members: Member[],
  index: number,
  own: Member,
): Promise<NatsFromConfig> {
  const generated = natsConfig({ name: 'bot', managed: managed({ replicas: 3 }) });
  const config = generated.replace(
    `  port: ${NATS_PORTS.cluster}\n`,
    `  host: "127.0.0.1"\n  port: ${own.cluster}\n`,
  );
  expect(config).not.toBe(generated);
  const server = await startNatsFromConfig(config, {
    env: memberEnv(
      value,
      members.map((m) => `127.0.0.1:${m.cluster}`),
      `eevee-bot-nats-${index}`,
    ),
    args: ['-a', '127.0.0.1', '-p', String(own.client), '-m', String(own.monitor)],
    monitorPort: own.monitor,
  });
  started.push(server);
  return server;
}

async function startCluster(value: string): Promise<{ members: Member[]; servers: NatsFromConfig[] }> {
  const members = [await member(), await member(), await member()];
  const servers = await Promise.all(members.map((m, i) => startMember(value, members, i, m)));
  return { members, servers };
}

/** How many other servers this one has a route with (a route pool opens several connections per peer). */
async function routedPeers(server: NatsFromConfig): Promise<number> {
  const routez = (await (await fetch(`${server.monitorUrl}/routez`)).json()) as {
    routes?: { remote_id: string }[];
  };
  return new Set((routez.routes ?? []).map((r) => r.remote_id)).size;
}

async function meshed(cluster: { servers: NatsFromConfig[] }): Promise<void> {
  for (const s of cluster.servers)
    await eventually(
      'the route mesh to form',
      () => routedPeers(s),
      (n) => n >= 2,
      30_000,
    );
}

/** A message published on the first member reaches a subscriber on the last, over the routes. */
async function carriesAcross(cluster: { members: Member[] }, value: string = token): Promise<void> {
  const url = (m: Member) => `nats://127.0.0.1:${m.client}`;
  const a = await connect({ servers: url(cluster.members[0]!), token: value, reconnect: false });
  const c = await connect({ servers: url(cluster.members[2]!), token: value, reconnect: false });
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
}
