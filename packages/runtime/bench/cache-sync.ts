// pnpm bench runtime: a no-op controller over N ConfigMaps (1,000 and 10,000). For each N it prints, next to a
// bare paginated list of the same objects measured in the same run (medians of alternating rounds):
//   sync    time from manager start to synced cache ÷ time of the bare list               (target ≤ 1.5)
//   memory  heap the informer cache retains (after GC, with vs. without it) ÷ the objects' JSON size (target ≤ 2)
// Run with node --expose-gc (the package script does). Uses EEVEE_TEST_CLUSTER when set, else starts a cluster.
import { randomBytes } from 'node:crypto';
import { Cluster, createTestNamespace, freePort, recordBenchmark, startCluster } from '@eevee/testenv';
import type { BenchRow } from '@eevee/testenv';
import { Informer, KubeClient, RESOURCES, createLogger, defineController, runManager } from '../src/index.ts';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);

async function createConfigMaps(client: KubeClient, namespace: string, n: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await client.create(RESOURCES.ConfigMap, {
        metadata: { name: `cm-${i}`, namespace, labels: { app: 'bench', shard: String(i % 16) } },
        data: { 'config.yaml': `module: bench\nindex: ${i}\nvalue: ${randomBytes(24).toString('hex')}\n` },
      });
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
}

async function timeManagerSync(cluster: Cluster, namespace: string): Promise<number> {
  const port = String(await freePort());
  const t0 = performance.now();
  const manager = await runManager({
    name: 'bench',
    kubeConfig: cluster.kubeConfig,
    handleSignals: false,
    logger: createLogger({ name: 'bench', level: 'error' }),
    env: { LEADER_ELECT: 'false', NAMESPACE: namespace, METRICS_PORT: port, HEALTH_PORT: port },
    controllers: [
      defineController({ name: 'noop', for: RESOURCES.ConfigMap, reconcile: () => Promise.resolve() }),
    ],
  });
  const ms = performance.now() - t0;
  await manager.stop();
  return ms;
}

async function cacheHeap(client: KubeClient, namespace: string): Promise<number> {
  // The informer lives only inside this function: once it returns, the cache is garbage.
  const withCache = await (async () => {
    const informer = new Informer(client, RESOURCES.ConfigMap, { namespace });
    informer.start();
    await informer.waitForSync();
    await informer.stop();
    return settledHeap();
  })();
  return withCache - settledHeap();
}

const own = process.env.EEVEE_TEST_CLUSTER === undefined;
const cluster = own
  ? await startCluster({ name: `bench-runtime-${process.pid}` })
  : await Cluster.attach(process.env.EEVEE_TEST_CLUSTER!);
const rows: BenchRow[] = [];
try {
  const client = new KubeClient(cluster.kubeConfig);
  for (const n of sizes) {
    const ns = await createTestNamespace(cluster, `bench${n}`);
    await createConfigMaps(client, ns.name, n);
    const list = await client.list(RESOURCES.ConfigMap, { namespace: ns.name });
    const jsonBytes = Buffer.byteLength(JSON.stringify(list.items));
    const strippedBytes = Buffer.byteLength(
      JSON.stringify(
        list.items.map((o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } })),
      ),
    );
    await timeManagerSync(cluster, ns.name); // warm-up
    const listTimes: number[] = [];
    const syncTimes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await client.list(RESOURCES.ConfigMap, { namespace: ns.name });
      listTimes.push(performance.now() - t0);
      syncTimes.push(await timeManagerSync(cluster, ns.name));
    }
    const heap = median([
      await cacheHeap(client, ns.name),
      await cacheHeap(client, ns.name),
      await cacheHeap(client, ns.name),
    ]);
    const listMs = median(listTimes);
    const syncMs = median(syncTimes);
    console.log(`N=${n} ConfigMaps (${rounds} rounds, medians)`);
    console.log(
      `  baseline  bare list ${listMs.toFixed(0)} ms; JSON ${mib(jsonBytes)} MiB (${mib(strippedBytes)} MiB without managedFields)`,
    );
    console.log(
      `  sync      no-op controller start to synced cache ${syncMs.toFixed(0)} ms = ${(syncMs / listMs).toFixed(2)}x the bare list (target <= 1.5)`,
    );
    console.log(
      `  memory    cache ${mib(heap)} MiB = ${(heap / jsonBytes).toFixed(2)}x the JSON size (target <= 2; ${(heap / strippedBytes).toFixed(2)}x without managedFields); RSS ${mib(process.memoryUsage().rss)} MiB`,
    );
    rows.push(
      {
        measure: `sync: start to synced cache (N=${n})`,
        value: `${syncMs.toFixed(0)} ms (bare list ${listMs.toFixed(0)} ms)`,
        ratio: syncMs / listMs,
        target: '≤ 1.5× bare list',
        met: syncMs / listMs <= 1.5,
      },
      {
        measure: `cache memory (N=${n})`,
        value: `${mib(heap)} MiB (JSON ${mib(jsonBytes)} MiB)`,
        ratio: heap / jsonBytes,
        target: '≤ 2× JSON size',
        met: heap / jsonBytes <= 2,
      },
      {
        measure: `cache memory vs JSON without managedFields (N=${n})`,
        value: `${mib(heap)} MiB (JSON ${mib(strippedBytes)} MiB)`,
        ratio: heap / strippedBytes,
      },
    );
    await ns.delete();
  }
  await client.close();
  recordBenchmark({
    name: 'runtime',
    title: 'Runtime: informer cache memory and sync time',
    issue: '#4',
    rows,
    notes: [
      `No-op controller over N ConfigMaps; medians of ${rounds} alternating rounds (sync) and of 3 runs (cache heap).`,
      'Sync is timed from manager start to synced cache against a bare paginated list of the same objects; ' +
        'memory is the heap the cache retains after GC against the JSON size of the listed objects.',
    ],
  });
} finally {
  if (own) await cluster.stop();
}
