// The end of `pnpm bench` (node packages/testenv/src/bench-report.ts): reads every bench/results/<name>.json the
// benchmarks recorded (bench-record.ts) and writes bench/results.md: a summary of the targets, then one section
// per benchmark with all its rows and notes. Benchmarks without a result file are listed as not run.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot, resultsDir } from './bench-record.ts';
import type { BenchResult, BenchRow, MachineFacts } from './bench-record.ts';

/** Every benchmark `pnpm bench` runs, in report order (by issue). */
export const BENCHMARKS: readonly { name: string; title: string; issue?: string }[] = [
  { name: 'testenv', title: 'Local cluster start' },
  { name: 'runtime', title: 'Runtime: informer cache memory and sync time', issue: '#4' },
  { name: 'modules', title: 'module-controller: BotModules to Ready', issue: '#5' },
  { name: 'ipc', title: 'ipc-controller: IpcConfigs to Ready', issue: '#6' },
  { name: 'backup', title: 'backup-runner: backup and restore of a module volume', issue: '#7' },
  { name: 'gateway', title: 'api-gateway: list routes over 1000 BotModules', issue: '#8' },
];

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const ratio = (row: BenchRow): string =>
  typeof row.ratio === 'number' && Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '—';
const met = (row: BenchRow): string => (row.met === true ? '✅' : row.met === false ? '❌' : '—');
const issue = (b: { issue?: string }): string => (b.issue ? ` (${b.issue})` : '');

export const describeMachine = (m: MachineFacts): string =>
  `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`;

/** The rows the summary shows: those with a target; for a benchmark without targets, its ratios (or all rows). */
function headline(result: BenchResult): BenchRow[] {
  const targeted = result.rows.filter((r) => r.target !== undefined);
  if (targeted.length > 0) return targeted;
  const ratios = result.rows.filter((r) => r.ratio !== undefined);
  return ratios.length > 0 ? ratios : result.rows;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** bench/results.md for these results; `generatedAt` is the time shown in the header. */
export function renderReport(results: BenchResult[], generatedAt: string = new Date().toISOString()): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const known = new Set(BENCHMARKS.map((b) => b.name));
  const order = [
    ...BENCHMARKS.map((b) => b.name),
    ...results
      .map((r) => r.name)
      .filter((n) => !known.has(n))
      .sort(),
  ];
  const notRun = BENCHMARKS.filter((b) => !byName.has(b.name));

  const machines = new Map<string, string[]>();
  for (const r of order.map((name) => byName.get(name))) {
    if (!r) continue;
    const m = describeMachine(r.machine);
    machines.set(m, [...(machines.get(m) ?? []), r.name]);
  }
  const machineLines =
    machines.size === 0
      ? ['Machine: none yet (no results).']
      : machines.size === 1
        ? [`Machine: ${[...machines.keys()][0]}.`]
        : [
            'Machines (the results come from separate runs):',
            '',
            ...[...machines].map(([m, names]) => `- ${m}: ${names.map((n) => `\`${n}\``).join(', ')}`),
          ];

  const summary: string[][] = [];
  let targets = 0;
  let metCount = 0;
  for (const name of order) {
    const r = byName.get(name);
    const b = r ?? BENCHMARKS.find((k) => k.name === name)!;
    const label = `\`${name}\`${issue(b)}`;
    if (!r) {
      summary.push([label, '—', 'not run', '—', '—', '—']);
      continue;
    }
    for (const row of headline(r)) {
      if (row.target !== undefined) targets += 1;
      if (row.target !== undefined && row.met === true) metCount += 1;
      summary.push([label, row.measure, row.value, ratio(row), row.target ?? '—', met(row)]);
    }
  }

  const lines = [
    '# Benchmarks',
    '',
    `Generated ${generatedAt} by \`pnpm bench\` (every benchmark, one at a time; \`pnpm bench <name>\` runs one) ` +
      'from the result files in `bench/results/`. Do not edit: run the benchmarks again.',
    '',
    'Ratios are taken against a baseline measured in the same run because these machines are noisy: the ' +
      'absolute figures move with the machine and its load, the ratios much less.',
    '',
    ...machineLines,
    '',
    '## Summary',
    '',
    (targets > 0 ? `${metCount} of ${targets} targets met` : 'No results against a target yet') +
      (notRun.length > 0 ? `; not run: ${notRun.map((b) => `\`${b.name}\``).join(', ')}.` : '.'),
    '',
    ...table(['benchmark', 'measure', 'value', 'ratio', 'target', 'met'], summary),
  ];

  for (const name of order) {
    const r = byName.get(name);
    const b = r ?? BENCHMARKS.find((k) => k.name === name)!;
    lines.push('', `## ${b.title}${issue(b)}`, '', `\`pnpm bench ${name}\``, '');
    if (!r) {
      lines.push(`Not run yet: there is no \`bench/results/${name}.json\`.`);
      continue;
    }
    lines.push(`Run ${r.when} on ${describeMachine(r.machine)}.`, '');
    lines.push(
      ...table(
        ['measure', 'value', 'ratio', 'target', 'met'],
        r.rows.map((row) => [row.measure, row.value, ratio(row), row.target ?? '—', met(row)]),
      ),
    );
    if (r.notes && r.notes.length > 0) lines.push('', ...r.notes.map((n) => `- ${cell(n)}`));
  }
  return `${lines.join('\n')}\n`;
}

function isBenchResult(value: unknown): value is BenchResult {
  const v = value as Partial<BenchResult> | null;
  return (
    typeof v?.name === 'string' &&
    typeof v.title === 'string' &&
    typeof v.when === 'string' &&
    typeof v.machine === 'object' &&
    Array.isArray(v.rows)
  );
}

/** Every result file in `dir` (none when it does not exist); unreadable files are skipped with a warning. */
export function readResults(dir: string = resultsDir): BenchResult[] {
  if (!existsSync(dir)) return [];
  const results: BenchResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (isBenchResult(parsed)) results.push(parsed);
      else console.warn(`bench-report: skipping ${file}: not a benchmark result`);
    } catch (err) {
      console.warn(`bench-report: skipping ${file}: ${(err as Error).message}`);
    }
  }
  return results;
}

if (import.meta.main) {
  const results = readResults();
  const out = join(repoRoot, 'bench', 'results.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderReport(results));
  const have = BENCHMARKS.filter((b) => results.some((r) => r.name === b.name)).length;
  console.log(`wrote bench/results.md (${have} of ${BENCHMARKS.length} benchmarks have results)`);
}
