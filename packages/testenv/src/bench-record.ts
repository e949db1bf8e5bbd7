// What a benchmark leaves behind: bench/results/<name>.json at the repository root, one file per benchmark, read
// by bench-report.ts to write bench/results.md. Each bench script computes its own figures and `met` from them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const resultsDir = join(repoRoot, 'bench', 'results');

export interface BenchRow {
  measure: string;
  /** The measured figure as it should read, units included (e.g. "812 ms (bare list 640 ms)"). */
  value: string;
  /** The figure divided by its baseline measured in the same run (stored to 3 decimals). */
  ratio?: number;
  /** The target from the issue, as it should read (e.g. "≤ 1.5× bare list"); absent when there is none. */
  target?: string;
  /** Whether the measured figure meets the target; absent when there is no target. */
  met?: boolean;
}

export interface MachineFacts {
  os: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
}

export interface BenchResult {
  /** The name `pnpm bench <name>` takes; also the result file's name. */
  name: string;
  title: string;
  /** The issue the benchmark and its targets come from, e.g. "#5". */
  issue?: string;
  /** When the run finished (ISO 8601). */
  when: string;
  machine: MachineFacts;
  rows: BenchRow[];
  notes?: string[];
}

export type BenchRecord = Omit<BenchResult, 'when' | 'machine'>;

export function machineFacts(): MachineFacts {
  const cores = cpus();
  return {
    os: `${type()} ${release()}`,
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
}

/** Writes `<dir>/<name>.json` (the repository's bench/results/ by default) and returns its path. */
export function recordBenchmark(record: BenchRecord, dir: string = resultsDir): string {
  const result: BenchResult = {
    name: record.name,
    title: record.title,
    ...(record.issue ? { issue: record.issue } : {}),
    when: new Date().toISOString(),
    machine: machineFacts(),
    rows: record.rows.map((r) =>
      r.ratio === undefined ? r : { ...r, ratio: Math.round(r.ratio * 1000) / 1000 },
    ),
    ...(record.notes?.length ? { notes: record.notes } : {}),
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const shown = relative(repoRoot, file);
  console.log(`recorded ${shown.startsWith('..') ? file : shown}`);
  return file;
}
