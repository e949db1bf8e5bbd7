// pnpm bench gateway: 1,000 BotModules (with the status the module-controller writes) on a fresh local cluster,
// the gateway as its own process serving them from its caches, and autocannon on loopback against the list
// routes, compared in the same run with a bare Koa route answering a constant body of the same size (its own
// process too). Prints a Markdown table: req/s, p50/p99 latency, the ratio to the bare route, and the targets
// (≥ 2000 req/s, p99 ≤ 20 ms, ≥ 0.5× bare). BENCH_MODULES, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS tune it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import { createTestNamespace, eventually, freePort, recordBenchmark, startCluster } from '@eevee/testenv';
import type { BenchRow } from '@eevee/testenv';

const modules = Number(process.env.BENCH_MODULES ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const TOKEN = 'bench-token-0123456789abcdef';
const app = join(import.meta.dirname, '..');

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

function startProcess(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const rssMiB = (pid: number | undefined): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
};

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(url: string, headers: Record<string, string>, duration: number): Promise<Measured> {
  const result = await autocannon({ url, connections, duration, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const cluster = await startCluster({ name: `bench-gateway-${process.pid}` });
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
try {
  await cluster.applyFiles(crdManifestFiles());
  const client = new KubeClient(cluster.kubeConfig);
  const ns = await createTestNamespace(cluster, 'benchgw');
  const t0 = performance.now();
  const names = Array.from({ length: modules }, (_, i) => `module-${String(i).padStart(4, '0')}`);
  await inBatches(names, 50, async (name) => {
    const metadata = { name, namespace: ns.name };
    await client.apply(
      RESOURCES.BotModule,
      {
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata,
        spec: { moduleName: name, image: `ghcr.io/eeveebot/${name}:1.2.3`, metrics: true, ipcConfig: 'bot' },
      },
      'kubectl',
    );
    await client.apply(
      RESOURCES.BotModule,
      {
        apiVersion: 'eevee.bot/v1',
        kind: 'BotModule',
        metadata,
        status: {
          observedGeneration: 1,
          phase: 'Ready',
          replicas: 1,
          readyReplicas: 1,
          image: `ghcr.io/eeveebot/${name}:1.2.3`,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Ready',
              message: 'all replicas ready',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ],
        },
      },
      'bench-module-controller',
      { subresource: 'status' },
    );
  });
  const created = (performance.now() - t0) / 1000;

  const gatewayPort = await freePort();
  const gateway = startProcess(join(app, 'src', 'main.ts'), {
    KUBECONFIG: cluster.kubeconfigPath,
    NAMESPACE: ns.name,
    HTTP_API_PORT: String(gatewayPort),
    HTTP_API_HOST: '127.0.0.1',
    EEVEE_OPERATOR_API_TOKEN: TOKEN,
    // The limiter runs on every request but never refuses: one client IP sends everything here.
    RATE_LIMIT_MAX: '1000000000',
    LOG_LEVEL: 'warn',
  });
  children.push(gateway);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const t1 = performance.now();
  const upstreamBody = await eventually(
    `the gateway to serve ${modules} modules`,
    async () => {
      const r = await fetch(`${gatewayUrl}/api/bot-modules`, { headers: auth });
      return r.ok ? Buffer.from(await r.arrayBuffer()) : Buffer.alloc(0);
    },
    (b) => b.length > 0 && (JSON.parse(b.toString()) as unknown[]).length === modules,
    120_000,
  );
  const synced = (performance.now() - t1) / 1000;
  const v1Body = Buffer.from(
    await (await fetch(`${gatewayUrl}/api/v1/botmodules`, { headers: auth })).arrayBuffer(),
  );

  writeFileSync(join(dir, 'upstream.json'), upstreamBody);
  writeFileSync(join(dir, 'v1.json'), v1Body);
  const barePort = await freePort();
  const bare = startProcess(join(import.meta.dirname, 'bare-server.ts'), {
    PORT: String(barePort),
    UPSTREAM_BODY_FILE: join(dir, 'upstream.json'),
    V1_BODY_FILE: join(dir, 'v1.json'),
  });
  children.push(bare);
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await eventually(
    'the bare server',
    () =>
      fetch(`${bareUrl}/api/bot-modules`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s === 200,
    30_000,
  );

  // Each gateway route is compared with the bare route answering a body of the same size.
  const targets = [
    {
      name: 'bare Koa route, constant body',
      url: `${bareUrl}/api/bot-modules`,
      headers: {},
      bytes: upstreamBody.length,
      baseline: -1,
    },
    {
      name: 'gateway GET /api/bot-modules',
      url: `${gatewayUrl}/api/bot-modules`,
      headers: auth,
      bytes: upstreamBody.length,
      baseline: 0,
    },
    {
      name: 'bare Koa route, constant body',
      url: `${bareUrl}/api/v1/botmodules`,
      headers: {},
      bytes: v1Body.length,
      baseline: -1,
    },
    {
      name: 'gateway GET /api/v1/botmodules',
      url: `${gatewayUrl}/api/v1/botmodules`,
      headers: auth,
      bytes: v1Body.length,
      baseline: 2,
    },
  ];
  // Warm up every target (JIT, connection pools), then alternate rounds so drift hits all alike.
  for (const t of targets) await measure(t.url, t.headers, 2);
  const runs = targets.map(() => [] as Measured[]);
  for (let round = 0; round < rounds; round++)
    for (const [i, t] of targets.entries()) runs[i]?.push(await measure(t.url, t.headers, seconds));

  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const summary = targets.map((t, i) => {
    const r = runs[i] ?? [];
    return {
      ...t,
      rps: mean(r.map((m) => m.rps)),
      p50: mean(r.map((m) => m.p50)),
      p99: Math.max(...r.map((m) => m.p99)),
      bad: r.reduce((s, m) => s + m.non2xx + m.errors, 0),
    };
  });
  console.log(
    `\n${modules} BotModules created with status in ${created.toFixed(1)} s; gateway start → first full list ${synced.toFixed(1)} s; ` +
      `gateway RSS ${rssMiB(gateway.pid)} MiB after the runs.`,
  );
  console.log(
    `autocannon: ${connections} connections, ${rounds} × ${seconds} s per target (alternating, after a 2 s warm-up); ` +
      'req/s and p50 are means over the rounds, p99 the worst round (autocannon reports whole milliseconds).\n',
  );
  console.log(
    '| target | body | req/s | p50 ms | p99 ms | vs bare | non-2xx/errors | targets (≥ 2000 req/s, p99 ≤ 20 ms, ≥ 0.5× bare) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of summary) {
    const bare = summary[s.baseline];
    const ratio = bare ? s.rps / bare.rps : 1;
    const ok = !bare ? '–' : s.rps >= 2000 && s.p99 <= 20 && ratio >= 0.5 ? 'met' : 'NOT met';
    console.log(
      `| ${s.name} | ${(s.bytes / 1024).toFixed(0)} KiB | ${Math.round(s.rps)} | ${s.p50.toFixed(0)} | ${s.p99.toFixed(0)} | ${bare ? `${ratio.toFixed(2)}×` : '–'} | ${s.bad} | ${ok} |`,
    );
  }

  const records: BenchRow[] = [];
  for (const s of summary) {
    const bare = summary[s.baseline];
    const what = `${s.name} (${(s.bytes / 1024).toFixed(0)} KiB)`;
    const errors = s.bad > 0 ? `, ${s.bad} non-2xx/errors` : '';
    if (!bare) {
      records.push({
        measure: what,
        value: `${Math.round(s.rps)} req/s, p99 ${s.p99.toFixed(0)} ms${errors}`,
      });
      continue;
    }
    const ratio = s.rps / bare.rps;
    records.push(
      {
        measure: `${what}: throughput`,
        value: `${Math.round(s.rps)} req/s (bare ${Math.round(bare.rps)} req/s)${errors}`,
        ratio,
        target: '≥ 2000 req/s and ≥ 0.5× bare, no errors',
        met: s.rps >= 2000 && ratio >= 0.5 && s.bad === 0,
      },
      {
        measure: `${what}: p99 latency`,
        value: `${s.p99.toFixed(0)} ms (p50 ${s.p50.toFixed(0)} ms)`,
        target: '≤ 20 ms',
        met: s.p99 <= 20,
      },
    );
  }
  recordBenchmark({
    name: 'gateway',
    title: `api-gateway: list routes over ${modules} BotModules`,
    issue: '#8',
    rows: records,
    notes: [
      `${modules} BotModules with status; gateway RSS ${rssMiB(gateway.pid)} MiB after the runs.`,
      `autocannon: ${connections} connections, ${rounds} × ${seconds} s per target, alternating after a 2 s ` +
        'warm-up; req/s and p50 are means over the rounds, p99 the worst round. Each gateway route is compared ' +
        'with a bare Koa route (its own process) answering a constant body of the same size.',
    ],
  });
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}
