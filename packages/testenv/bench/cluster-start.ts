// pnpm bench (in packages/testenv): how long the local cluster takes to become usable, and what it costs in
// memory. Machines here are noisy, so the figure that matters is the ratio to a baseline measured in the same
// run: starting etcd alone (one real process to healthy), which scales with the machine the same way.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { allocatePorts, startEtcd } from '../src/control-plane.ts';
import { ensureBinaries } from '../src/binaries.ts';
import { Instance } from '../src/processes.ts';
import { startCluster } from '../src/cluster.ts';
import { recordBenchmark } from '../src/bench-record.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

await ensureBinaries();
const baseline: number[] = [];
const cluster: number[] = [];
let memory: { name: string; mib: number }[] = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const instance = Instance.create(`bench-etcd-${randomBytes(3).toString('hex')}`, { ownerPid: process.pid });
  await startEtcd(instance, await allocatePorts());
  baseline.push(performance.now() - t0);
  await instance.stop();

  const c = await startCluster({ name: `bench-${i}` });
  cluster.push(c.startedMs);
  memory = c.processes().map((p) => ({ name: p.name, mib: rssMiB(p.pid) }));
  await c.stop();
}

const base = median(baseline);
const start = median(cluster);
console.log(`baseline  etcd alone to healthy: median ${base.toFixed(0)} ms over ${rounds} rounds`);
console.log(
  `cluster   start to Ready node:   median ${start.toFixed(0)} ms  = ${(start / base).toFixed(1)}x baseline`,
);
const perProcess = memory.map((m) => `${m.name} ${m.mib} MiB`).join(', ');
const totalMib = memory.reduce((s, m) => s + m.mib, 0);
console.log(`memory    right after start (RSS): ${perProcess}; total ${totalMib} MiB`);

// No target: the figures are for reference (bench/results.md).
recordBenchmark({
  name: 'testenv',
  title: 'Local cluster start',
  rows: [
    {
      measure: 'cluster start to Ready node',
      value: `${start.toFixed(0)} ms (etcd alone to healthy ${base.toFixed(0)} ms)`,
      ratio: start / base,
    },
    { measure: 'memory right after start (RSS, all processes)', value: `${totalMib} MiB` },
  ],
  notes: [
    `Medians over ${rounds} rounds; baseline: etcd alone to healthy.`,
    `RSS per process: ${perProcess}.`,
  ],
});
