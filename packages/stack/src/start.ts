// ./dev start: the operator and the sample bot on the local cluster (or the cluster of --kubeconfig /
// EEVEE_KUBECONFIG), with the four controllers as local processes: there is no container runtime here; on a real
// cluster the Helm chart is the way. Ctrl-C stops everything it started.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeClient, RESOURCES, isNotFound } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { binDir, freePort, startCluster, startNats, stopCluster } from '@eevee/testenv';
import type { NatsServer } from '@eevee/testenv';
import type { ControllerName, RunningController } from './controllers.ts';
import { startController } from './controllers.ts';
import { followModules } from './follow.ts';
import { seedBackups, startLocalStore } from './local-backups.ts';
import type { LocalStore } from './sample-bot.ts';
import { SAMPLE_NAMESPACE, sampleBot, storePrefix } from './sample-bot.ts';
import { applyAll, installCrds } from './manifests.ts';

const CLUSTER_NAME = 'dev';
const TOKEN_SECRET = 'eevee-api-gateway-token';
/** The sample modules whose data comes from a backup (bootstrap of `seen`, the restore of `tell`). */
const SEEDED_MODULES = ['seen', 'tell'];

const { values: args } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.EEVEE_KUBECONFIG },
    namespace: { type: 'string', default: SAMPLE_NAMESPACE },
    timeout: { type: 'string', default: '300' },
  },
});
const namespace = args.namespace ?? SAMPLE_NAMESPACE;
const logDir = join(tmpdir(), 'eevee-start', namespace);
const say = (line: string) => process.stderr.write(`start: ${line}\n`);

interface Stack {
  kubeconfigPath: string;
  ownCluster: boolean;
  store?: LocalStore;
  bus?: NatsServer;
  controllers: RunningController[];
}
const stack: Stack = { kubeconfigPath: '', ownCluster: false, controllers: [] };

/** The local cluster from packages/testenv (replacing one of the same name), or the given kubeconfig's. */
async function connect(): Promise<KubeClient> {
  if (args.kubeconfig) {
    stack.kubeconfigPath = args.kubeconfig;
    const config = readFileSync(args.kubeconfig, 'utf8');
    say(`using the cluster of ${args.kubeconfig}`);
    return new KubeClient({ exportConfig: () => config });
  }
  say('starting the local cluster (etcd, kube-apiserver, controller-manager, scheduler, kwok)...');
  await stopCluster(CLUSTER_NAME);
  const cluster = await startCluster({ name: CLUSTER_NAME, ownerPid: process.pid });
  stack.kubeconfigPath = cluster.kubeconfigPath;
  stack.ownCluster = true;
  say(`cluster ready in ${cluster.startedMs} ms at ${cluster.server}`);
  return new KubeClient(cluster.kubeConfig);
}

/** The gateway's token in the Secret modules mount (mountOperatorApiToken): kept when it exists. */
async function ensureApiToken(client: KubeClient): Promise<string> {
  try {
    const secret = await client.get<KubeObject & { data?: Record<string, string> }>(
      RESOURCES.Secret,
      namespace,
      TOKEN_SECRET,
    );
    const token = Buffer.from(secret.data?.token ?? '', 'base64').toString();
    if (token) return token;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const token = randomBytes(32).toString('base64url');
  await client.apply(
    RESOURCES.Secret,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: TOKEN_SECRET, namespace }, stringData: { token } },
    'eevee-start',
    { force: true },
  );
  return token;
}

/** 9000 (the gateway's usual port) when it is free, else any free port. */
function gatewayPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => void freePort().then(resolvePort));
    probe.listen(9000, '127.0.0.1', () => probe.close(() => resolvePort(9000)));
  });
}

/**
 * The controllers' event bus: a local nats-server, so they wake each other through NATS as in a real install
 * and the status page shows recent module events (everything converges without it too).
 */
async function startEventBus(): Promise<Record<string, string>> {
  stack.bus = await startNats({ ownerPid: process.pid });
  const tokenFile = join(logDir, 'events-nats-token');
  writeFileSync(tokenFile, stack.bus.token, { mode: 0o600 });
  return { EEVEE_EVENTS_NATS_URL: stack.bus.url, EEVEE_EVENTS_NATS_TOKEN_FILE: tokenFile };
}

async function startControllers(token: string, port: number): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const bus = await startEventBus();
  const cluster = { kubeconfigPath: stack.kubeconfigPath };
  // Each is recorded as soon as it runs, so a failure to start another still stops it.
  const start = async (name: ControllerName, env: Record<string, string> = {}) =>
    stack.controllers.push(
      await startController(
        name,
        cluster,
        namespace,
        { LOG_LEVEL: 'info', ...bus, ...env },
        { logFile: join(logDir, `${name}.log`) },
      ),
    );
  await Promise.all([
    start('module-controller'),
    start('ipc-controller'),
    start('backup-controller'),
    start('api-gateway', { HTTP_API_PORT: String(port), EEVEE_OPERATOR_API_TOKEN: token }),
  ]);
}

async function stopEverything(): Promise<void> {
  await Promise.all(stack.controllers.map((c) => c.stop()));
  await stack.store?.s3.stop();
  await stack.bus?.stop();
  if (stack.ownCluster) await stopCluster(CLUSTER_NAME);
}

function printWhereToLook(url: string, token: string): void {
  const kubectl = stack.ownCluster ? `export PATH=${binDir()}:$PATH KUBECONFIG=${stack.kubeconfigPath}` : '';
  process.stdout.write(
    [
      '',
      `eevee is running in namespace ${namespace}.`,
      `  API gateway  ${url}   (status page: ${url}/)`,
      `  API token    ${token}`,
      `  try          curl -H 'Authorization: Bearer ${token}' ${url}/api/v1/namespaces/${namespace}/botmodules`,
      `  watch        ${kubectl ? `${kubectl}; ` : ''}kubectl get bm -n ${namespace} -w`,
      `  logs         ${logDir}/<controller>.log`,
      `Ctrl-C stops the controllers, their NATS event bus, the S3 server${stack.ownCluster ? ' and the cluster' : ''}.`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const client = await connect();
  say('installing the CRDs');
  await installCrds(client);
  say('starting a local S3 server for the sample bot backups');
  stack.store = await startLocalStore();
  const bot = sampleBot(namespace, stack.store);
  await applyAll(
    client,
    bot.filter((o) => o.kind === 'Namespace'),
  );
  await seedBackups(stack.store, { prefix: storePrefix(bot), namespace }, SEEDED_MODULES);
  const token = await ensureApiToken(client);
  const port = await gatewayPort();
  say('starting module-controller, ipc-controller, backup-controller and api-gateway, with a NATS event bus');
  await startControllers(token, port);
  say(`applying the sample bot (${bot.filter((o) => o.kind === 'BotModule').length} modules)`);
  await applyAll(
    client,
    bot.filter((o) => o.kind !== 'Namespace'),
  );
  const { ready, rows } = await followModules(client, namespace, { timeoutMs: Number(args.timeout) * 1000 });
  if (ready) say(`every module is Ready`);
  else
    for (const row of rows.filter((r) => r.why))
      say(`not Ready after ${args.timeout} s: ${row.name} (${row.phase}) ${row.why}`);
  printWhereToLook(`http://127.0.0.1:${port}`, token);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    void stopEverything().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

try {
  await main();
} catch (err) {
  say(`failed: ${(err as Error).message}`);
  await stopEverything().catch(() => undefined);
  process.exit(1);
}
