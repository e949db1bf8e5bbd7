// pnpm bench modules: N BotModules (sample-like: metrics, NATS, config) on a fresh local cluster, against a floor
// measured in the same run. Prints one table:
//   (a) floor: the same Deployments + ConfigMaps applied by a bare script (same concurrency), until all Available
//   (a') like-for-like floor: the same plus the metrics Services the modules' spec asks for (each Service makes
//        the kube-controller-manager maintain Endpoints and EndpointSlices, which costs the control plane CPU)
//   (a'') the least a controller following the spec writes, by a bare script: the BotModules, their children with
//        owner references (which the controller-manager's garbage collector tracks) and Services, and one status
//        write per module once its Deployment is Available; no Events, no progress statuses, no reconcile logic
//   (b) controller: BotModules applied until every one is at phase Ready            target (b) <= 1.3 x (a)
//   (c) API writes by the controller during an idle window after convergence          target 0
//   (d) controller RSS after convergence                                              target <= 150 MiB at 1000
//   (e) config edit -> new ReplicaSet latency, p50 / p99 over BENCH_EDITS edits       target p99 <= 1 s
// The controller runs as its own process, as the image runs it: the esbuild bundle (built first, with the options
// of `pnpm build`) and the image's V8 flags (src/node-flags.ts). BENCH_SIZES, BENCH_IDLE_SECONDS, BENCH_EDITS tune
// it; BENCH_SOURCE=1 runs the sources instead, BENCH_NODE_FLAGS other flags.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crdManifestFiles } from '@eevee/crds';
import { Informer, KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import {
  bundleApp,
  createTestNamespace,
  eventually,
  freePort,
  metricTotal,
  recordBenchmark,
  startCluster,
} from '@eevee/testenv';
import type { BenchRow, Cluster } from '@eevee/testenv';
import { desiredConfigMap, desiredService } from '../src/desired/children.ts';
import { desiredDeployment } from '../src/desired/deployment.ts';
import { CONTROLLER_NODE_FLAGS } from '../src/node-flags.ts';
import { parseModuleSettings } from '../src/settings.ts';
import { publishIpcStatus } from '../test/harness.ts';
import { botModuleSchema } from '@eevee/crds';

const sizes = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 120);
const edits = Number(process.env.BENCH_EDITS ?? 100);
const concurrency = 16;
const PRODUCTION_NODE_FLAGS = CONTROLLER_NODE_FLAGS.join(' ');
const fromSource = process.env.BENCH_SOURCE === '1';
const controllerMain = fromSource
  ? join(import.meta.dirname, '..', 'src', 'main.ts')
  : join(await mkdtemp(join(tmpdir(), 'bench-modules-')), 'main.js');
if (!fromSource) await bundleApp(join(import.meta.dirname, '..', 'src', 'main.ts'), controllerMain);

const spec = (i: number) => ({
  moduleName: `plugin-${i}`,
  image: 'ghcr.io/eeveebot/echo:1.3.9',
  metrics: process.env.BENCH_METRICS !== 'false',
  metricsPort: 9000,
  ipcConfig: 'samplebot',
  moduleConfig: `ratelimit: {mode: drop, level: user, limit: 5, interval: 1m}\nindex: ${i}\n`,
});

async function pool<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

async function allAvailable(client: KubeClient, namespace: string, n: number): Promise<void> {
  await eventually(
    `${n} Deployments available`,
    () =>
      client.list<KubeObject & { status?: { availableReplicas?: number } }>(RESOURCES.Deployment, {
        namespace,
      }),
    (l) => l.items.length === n && l.items.every((d) => (d.status?.availableReplicas ?? 0) >= 1),
    900_000,
  );
}

/** (a) The same objects the controller would write, applied by a bare script. */
async function floor(
  cluster: Cluster,
  client: KubeClient,
  n: number,
  withServices: boolean,
): Promise<number> {
  const ns = await createTestNamespace(cluster, `floor${withServices ? 's' : ''}${n}`);
  const settings = parseModuleSettings({});
  const t0 = performance.now();
  await pool([...Array(n).keys()], async (i) => {
    const obj = {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: {
        name: `m${i}`,
        namespace: ns.name,
        uid: '00000000-0000-0000-0000-000000000000',
        generation: 1,
      },
      spec: spec(i),
    };
    const module = botModuleSchema.parse(obj);
    const owner = { ...(obj as KubeObject), metadata: { ...obj.metadata } };
    const cm = desiredConfigMap({ owner, module, fieldManager: 'bench' })!;
    const d = desiredDeployment({
      owner,
      module,
      replicas: 1,
      nats: { name: 'nats-auth', tokenKey: 'token' },
      configHash: 'h',
      settings,
      fieldManager: 'bench',
    });
    const svc = withServices ? desiredService({ owner, module, fieldManager: 'bench' }) : undefined;
    for (const o of [cm, d, svc]) if (o) delete o.metadata.ownerReferences; // no owner object exists here
    await client.apply(RESOURCES.ConfigMap, cm, 'bench');
    await client.apply(RESOURCES.Deployment, d, 'bench');
    if (svc) await client.apply(RESOURCES.Service, svc, 'bench');
  });
  await allAvailable(client, ns.name, n);
  const ms = performance.now() - t0;
  await ns.delete();
  return ms;
}

/** (a'') The least a controller following the spec writes (see the header), applied by a bare script. */
async function leastController(cluster: Cluster, client: KubeClient, n: number): Promise<number> {
  const ns = await createTestNamespace(cluster, `least${n}`);
  await publishIpcStatus(client, ns.name, 'samplebot', 'nats-auth');
  const settings = parseModuleSettings({});
  const module = (i: number) => ({
    apiVersion: 'eevee.bot/v1',
    kind: 'BotModule',
    metadata: { name: `m${i}`, namespace: ns.name },
  });
  const t0 = performance.now();
  await pool([...Array(n).keys()], async (i) => {
    const owner = await client.apply<KubeObject>(
      RESOURCES.BotModule,
      { ...module(i), spec: spec(i) },
      'bench',
    );
    const parsed = botModuleSchema.parse(owner);
    const children = [
      [RESOURCES.ConfigMap, desiredConfigMap({ owner, module: parsed, fieldManager: 'bench' })],
      [
        RESOURCES.Deployment,
        desiredDeployment({
          owner,
          module: parsed,
          replicas: 1,
          nats: { name: 'nats-auth', tokenKey: 'token' },
          configHash: 'h',
          settings,
          fieldManager: 'bench',
        }),
      ],
      [RESOURCES.Service, desiredService({ owner, module: parsed, fieldManager: 'bench' })],
    ] as const;
    for (const [type, child] of children) if (child) await client.apply(type, child, 'bench');
  });
  await allAvailable(client, ns.name, n);
  const now = new Date().toISOString();
  await pool([...Array(n).keys()], async (i) => {
    const status = {
      phase: 'Ready',
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: now }],
    };
    await client.apply(RESOURCES.BotModule, { ...module(i), status }, 'bench', { subresource: 'status' });
  });
  const ms = performance.now() - t0;
  await ns.delete();
  return ms;
}

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

const writesSoFar = (port: number) => metricTotal(port, 'eevee_runtime_api_writes_total');

async function controllerRun(cluster: Cluster, client: KubeClient, n: number) {
  const ns = await createTestNamespace(cluster, `ctl${n}`);
  await publishIpcStatus(client, ns.name, 'samplebot', 'nats-auth');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS ?? PRODUCTION_NODE_FLAGS).split(' ').filter(Boolean), controllerMain],
    {
      env: {
        ...process.env,
        KUBECONFIG: cluster.kubeconfigPath,
        NAMESPACE: ns.name,
        LEADER_ELECT: 'false',
        METRICS_PORT: String(port),
        HEALTH_PORT: String(port),
        LOG_LEVEL: 'error',
        RECONCILE_CONCURRENCY: String(concurrency),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  try {
    await eventually(
      'the controller to be ready',
      () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status),
      (s) => s === 200,
      30_000,
    );
    const t0 = performance.now();
    await pool([...Array(n).keys()], (i) =>
      client.create(RESOURCES.BotModule, {
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata: { name: `m${i}`, namespace: ns.name },
        spec: spec(i),
      }),
    );
    await eventually(
      `${n} BotModules Ready`,
      () =>
        client.list<KubeObject & { status?: { phase?: string } }>(RESOURCES.BotModule, {
          namespace: ns.name,
        }),
      (l) => l.items.length === n && l.items.every((m) => m.status?.phase === 'Ready'),
      900_000,
    );
    const convergeMs = performance.now() - t0;
    const convergeWrites = await writesSoFar(port);
    const convergeCpu = cpuSeconds(child.pid!);

    await sleep(5_000); // let the last watch events settle
    const before = await writesSoFar(port);
    await sleep(idleSeconds * 1000);
    const idleWrites = (await writesSoFar(port)) - before;
    const rss = rssMiB(child.pid!);

    // (e) config edit -> new ReplicaSet
    const replicaSets = new Informer(client, RESOURCES.ReplicaSet, { namespace: ns.name });
    const created = new Map<string, number>();
    replicaSets.onChange((event, rs) => {
      if (event === 'add') created.set(rs.metadata.labels?.['eevee.bot/module'] ?? '', performance.now());
    });
    replicaSets.start();
    await replicaSets.waitForSync();
    const latencies: number[] = [];
    for (let e = 0; e < edits; e++) {
      const name = `m${e % n}`;
      created.delete(name);
      const t = performance.now();
      await client.mergePatch(
        RESOURCES.BotModule,
        ns.name,
        name,
        { spec: { moduleConfig: `edit: ${e}\n` } },
        'bench',
      );
      await eventually(
        'a new ReplicaSet',
        () => Promise.resolve(created.get(name)),
        (v) => v !== undefined,
        30_000,
      );
      latencies.push(created.get(name)! - t);
    }
    await replicaSets.stop();
    return {
      convergeMs,
      convergeWrites,
      convergeCpu,
      idleWrites,
      rss,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      namespace: ns,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const cluster = await startCluster({ name: `bench-modules-${process.pid}` });
try {
  await cluster.applyFiles(crdManifestFiles());
  const client = new KubeClient(cluster.kubeConfig);
  const rows: string[] = [];
  const records: BenchRow[] = [];
  for (const n of sizes) {
    const a = await floor(cluster, client, n, false);
    const like = await floor(cluster, client, n, true);
    const least = await leastController(cluster, client, n);
    const r = await controllerRun(cluster, client, n);
    await r.namespace.delete();
    rows.push(
      `| ${n} | ${(a / 1000).toFixed(1)} s | ${(like / 1000).toFixed(1)} s | ${(least / 1000).toFixed(1)} s (${(least / a).toFixed(2)}x) | ${(r.convergeMs / 1000).toFixed(1)} s | ${(r.convergeMs / a).toFixed(2)}x | ${(r.convergeMs / like).toFixed(2)}x | ${(r.convergeMs / least).toFixed(2)}x | ${r.idleWrites} | ${r.rss.toFixed(0)} MiB | ${(r.convergeWrites / n).toFixed(1)} | ${r.convergeCpu.toFixed(1)} s | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms |`,
    );
    console.log(rows.at(-1));
    const at = `N=${n}`;
    records.push(
      {
        measure: `(b) controller: BotModules applied to all Ready (${at})`,
        value: `${(r.convergeMs / 1000).toFixed(1)} s (floor (a) ${(a / 1000).toFixed(1)} s)`,
        ratio: r.convergeMs / a,
        target: '≤ 1.3× floor (a)',
        met: r.convergeMs / a <= 1.3,
      },
      {
        measure: `(b) against the like-for-like floor (a') with Services (${at})`,
        value: `${(r.convergeMs / 1000).toFixed(1)} s (floor (a') ${(like / 1000).toFixed(1)} s)`,
        ratio: r.convergeMs / like,
      },
      {
        measure: `(a'') the least a spec-following controller writes, against floor (a) (${at})`,
        value: `${(least / 1000).toFixed(1)} s (floor (a) ${(a / 1000).toFixed(1)} s)`,
        ratio: least / a,
      },
      {
        measure: `(b) against the least a spec-following controller writes (a'') (${at})`,
        value: `${(r.convergeMs / 1000).toFixed(1)} s ((a'') ${(least / 1000).toFixed(1)} s)`,
        ratio: r.convergeMs / least,
      },
      {
        measure: `(c) API writes in ${idleSeconds} s idle after convergence (${at})`,
        value: String(r.idleWrites),
        target: '= 0',
        met: r.idleWrites === 0,
      },
      {
        measure: `(d) controller RSS after convergence (${at})`,
        value: `${r.rss.toFixed(1)} MiB`,
        ...(n === 1000 ? { target: '≤ 150 MiB', met: r.rss <= 150 } : {}),
      },
      {
        measure: `(e) config edit → new ReplicaSet, p99 of ${edits} (${at})`,
        value: `${r.p99.toFixed(0)} ms (p50 ${r.p50.toFixed(0)} ms)`,
        target: '≤ 1 s',
        met: r.p99 <= 1000,
      },
      { measure: `API writes per module to converge (${at})`, value: (r.convergeWrites / n).toFixed(1) },
      { measure: `controller CPU to converge (${at})`, value: `${r.convergeCpu.toFixed(1)} s` },
    );
  }
  console.log(
    `\n| N | (a) floor | (a') floor + Services | (a'') least controller (/(a)) | (b) controller | (b)/(a) (<= 1.3) | (b)/(a') | (b)/(a'') | (c) writes in ${idleSeconds} s idle (= 0) | (d) RSS | writes per module to converge | controller CPU to converge | (e) edit -> ReplicaSet p50 / p99 (<= 1 s) |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  recordBenchmark({
    name: 'modules',
    title: 'module-controller: BotModules to Ready',
    issue: '#5',
    rows: records,
    notes: [
      '(a) floor: the same Deployments and ConfigMaps applied by a bare script (same concurrency) until all ' +
        "Available; (a') the same plus the metrics Services the modules ask for; (a'') the least a controller " +
        'following the spec writes: the BotModules, their children with owner references, the Services, and one ' +
        'status write per module once its Deployment is Available (no Events, no progress statuses).',
      `The controller runs as its own process (${fromSource ? 'the sources' : 'the esbuild bundle, as the image'}, node flags: ${(process.env.BENCH_NODE_FLAGS ?? PRODUCTION_NODE_FLAGS) || 'none'}), ` +
        `${concurrency} concurrent reconciles; the RSS target applies at N=1000.`,
    ],
  });
} finally {
  await cluster.stop();
}
