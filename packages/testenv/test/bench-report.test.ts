// Unit tests of the benchmark report (bench/results.md) and the result files it reads; no cluster.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { recordBenchmark } from '../src/bench-record.ts';
import type { BenchResult } from '../src/bench-record.ts';
import { BENCHMARKS, readResults, renderReport } from '../src/bench-report.ts';

const machine = { os: 'Linux 6.1', cpus: 2, cpuModel: 'Test CPU', memoryGiB: 7.8, node: 'v24.21.0' };
const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runtime: BenchResult = {
  name: 'runtime',
  title: 'Runtime: informer cache memory and sync time',
  issue: '#4',
  when: '2026-01-02T03:04:05.000Z',
  machine,
  rows: [
    {
      measure: 'sync (N=1000)',
      value: '120 ms (bare list 100 ms)',
      ratio: 1.2,
      target: '≤ 1.5× bare list',
      met: true,
    },
    {
      measure: 'cache memory (N=1000)',
      value: '5.00 MiB (JSON 2.00 MiB)',
      ratio: 2.5,
      target: '≤ 2×',
      met: false,
    },
    { measure: 'RSS', value: '90 MiB' },
  ],
  notes: ['5 rounds, medians'],
};
const testenv: BenchResult = {
  name: 'testenv',
  title: 'Local cluster start',
  when: '2026-01-02T03:00:00.000Z',
  machine,
  rows: [
    { measure: 'cluster start to Ready node', value: '9000 ms (etcd alone 1000 ms)', ratio: 9 },
    { measure: 'memory after start', value: '800 MiB' },
  ],
};

const lines = (report: string, prefix: string): string[] =>
  report.split('\n').filter((l) => l.startsWith(prefix));

it('writes a header, a summary of the targets with ✅/❌/—, and not-run benchmarks', () => {
  const report = renderReport([runtime, testenv], '2026-01-02T04:00:00.000Z');
  expect(report).toContain('Generated 2026-01-02T04:00:00.000Z by `pnpm bench`');
  expect(report).toContain('baseline measured in the same run because these machines are noisy');
  expect(report).toContain('Machine: 2 CPUs (Test CPU), 7.8 GiB memory, Linux 6.1, Node v24.21.0.');
  expect(report).toContain('1 of 2 targets met; not run: `modules`, `ipc`, `backup`, `gateway`.');
  const summary = report.split('## Summary')[1]!.split('\n## ')[0]!;
  expect(summary).toContain('| benchmark | measure | value | ratio | target | met |');
  expect(summary).toContain(
    '| `runtime` (#4) | sync (N=1000) | 120 ms (bare list 100 ms) | 1.20× | ≤ 1.5× bare list | ✅ |',
  );
  expect(summary).toContain(
    '| `runtime` (#4) | cache memory (N=1000) | 5.00 MiB (JSON 2.00 MiB) | 2.50× | ≤ 2× | ❌ |',
  );
  // A benchmark with targets shows only its targeted rows; one without shows its ratios, with "—".
  expect(summary).not.toContain('| RSS |');
  expect(summary).toContain(
    '| `testenv` | cluster start to Ready node | 9000 ms (etcd alone 1000 ms) | 9.00× | — | — |',
  );
  expect(summary).not.toContain('memory after start');
  expect(summary).toContain('| `backup` (#7) | — | not run | — | — | — |');
});

it('writes one section per benchmark, in issue order, with every row, its notes, and not-run ones', () => {
  const report = renderReport([runtime, testenv], 'now');
  expect(lines(report, '## ')).toEqual([
    '## Summary',
    ...BENCHMARKS.map((b) => `## ${b.title}${b.issue ? ` (${b.issue})` : ''}`),
  ]);
  const section = report.split('## Runtime: informer cache memory and sync time (#4)')[1]!.split('\n## ')[0]!;
  expect(section).toContain('`pnpm bench runtime`');
  expect(section).toContain('Run 2026-01-02T03:04:05.000Z on 2 CPUs (Test CPU)');
  expect(section).toContain('| RSS | 90 MiB | — | — | — |');
  expect(section).toContain('- 5 rounds, medians');
  expect(report).toContain('Not run yet: there is no `bench/results/gateway.json`.');
});

it('lists unknown benchmarks after the known ones, escapes pipes, and shows a missing ratio as —', () => {
  const extra: BenchResult = {
    ...testenv,
    name: 'zzz',
    title: 'Extra',
    rows: [{ measure: 'a | b', value: 'x', ratio: null as unknown as number, target: '= 0', met: false }],
  };
  const report = renderReport([extra], 'now');
  expect(lines(report, '## ').at(-1)).toBe('## Extra');
  expect(report).toContain('| `zzz` | a \\| b | x | — | = 0 | ❌ |');
  expect(report).toContain('0 of 1 targets met; not run:');
  expect(renderReport([testenv], 'now')).toContain('No results against a target yet; not run: `runtime`');
});

it('names every machine when the results come from different ones', () => {
  const other = { ...testenv, machine: { ...machine, cpus: 8 } };
  const report = renderReport([runtime, other], 'now');
  expect(report).toContain('Machines (the results come from separate runs):');
  expect(report).toContain('- 2 CPUs (Test CPU), 7.8 GiB memory, Linux 6.1, Node v24.21.0: `runtime`');
  expect(report).toContain('- 8 CPUs (Test CPU), 7.8 GiB memory, Linux 6.1, Node v24.21.0: `testenv`');
});

it('records a result file with machine facts that the report reads back, skipping broken files', () => {
  const file = recordBenchmark(
    { name: 'ipc', title: 'ipc', issue: '#6', rows: [{ measure: 'm', value: '1' }] },
    dir,
  );
  expect(file).toBe(join(dir, 'ipc.json'));
  const written = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
  expect(written).toMatchObject({ name: 'ipc', issue: '#6', rows: [{ measure: 'm', value: '1' }] });
  expect(new Date(written.when).toISOString()).toBe(written.when);
  expect(written.machine.cpus).toBeGreaterThan(0);
  expect(written.machine.node).toBe(process.version);
  expect(written.notes).toBeUndefined();
  writeFileSync(join(dir, 'broken.json'), '{');
  writeFileSync(join(dir, 'other.json'), '{"name": 1}');
  expect(readResults(dir).map((r) => r.name)).toEqual(['ipc']);
  expect(readResults(join(dir, 'missing'))).toEqual([]);
  recordBenchmark({ name: 'ratio', title: 'r', rows: [{ measure: 'm', value: '1', ratio: 1 / 3 }] }, dir);
  expect(readResults(dir).find((r) => r.name === 'ratio')?.rows[0]?.ratio).toBe(0.333);
});
