// pnpm bench backup: a ~1 GiB module volume (20,000 small compressible files plus a few large random ones) on a
// local S3 server (testenv's versitygw), measured in one run:
//   baseline  a plain @aws-sdk/lib-storage Upload of one file of the same size (random bytes) from a file stream
//   backup    `node src/main.ts backup` as a child process at the default gzip level
//   restore   `node src/main.ts restore` of that backup into an empty volume
//   (those three in BENCH_ROUNDS interleaved rounds, default 4, compared by medians)
//   levels    one backup at each other gzip level of BENCH_GZIP_LEVELS (default "0,1,3,6"), for reference
//   pipeline  the backup pipeline alone (read, tar, gzip, SHA-256; output discarded), without S3, for reference
// Throughput is volume bytes per second in every row; peak RSS is VmHWM of the child from /proc/<pid>/status.
// The children run esbuild bundles (built first, with the options of `pnpm build`): that is what the image runs;
// BENCH_SOURCE=1 runs the sources instead (Node's type stripping adds ~16 MiB RSS).
// Targets: backup ≥ 0.8 × baseline, peak RSS < 150 MiB. BENCH_SMALL_FILES / BENCH_LARGE_FILES / BENCH_LARGE_MIB
// change the tree; BENCH_VOLUME=<dir> uses an existing tree instead of generating one.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { bundleApp, recordBenchmark, startS3 } from '@eevee/testenv';
import type { BenchRow } from '@eevee/testenv';
import { DEFAULT_GZIP_LEVEL, parseConfig } from '../src/config.ts';
import { DEFAULT_PART_BYTES, UPLOAD_QUEUE_SIZE } from '../src/part-size.ts';
import { RUNNER_NODE_FLAGS } from '../src/node-flags.ts';
import { createS3Client } from '../src/s3-client.ts';
import type { RunResult } from '../src/result.ts';

const MIB = 1024 * 1024;
const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? 20_000);
const largeFiles = Number(process.env.BENCH_LARGE_FILES ?? 4);
const largeMib = Number(process.env.BENCH_LARGE_MIB ?? 160);
const levels = (process.env.BENCH_GZIP_LEVELS ?? '0,1,3,6').split(',').map(Number);
/** Rounds of baseline, backup and restore (BENCH_ROUNDS); medians are compared. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const app = join(import.meta.dirname, '..');
const work = await mkdtemp(join(tmpdir(), 'bench-backup-'));
const fromSource = process.env.BENCH_SOURCE === '1';
const main = fromSource ? join(app, 'src', 'main.ts') : join(work, 'main.js');
const baselineScript = fromSource
  ? join(app, 'bench', 'baseline-upload.ts')
  : join(work, 'baseline-upload.js');
const pipelineScript = fromSource ? join(app, 'bench', 'pipeline-only.ts') : join(work, 'pipeline-only.js');
/** The flags the image's wrapper scripts start node with (src/node-flags.ts); the baseline runs with them too. */
const NODE_FLAGS = RUNNER_NODE_FLAGS;

/** Deterministic pseudo-random bytes (xorshift), fast enough to write a GiB without spending the run on it. */
function pseudoRandom(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size + (4 - (size % 4)));
  let x = seed | 1;
  for (let i = 0; i < out.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeInt32LE(x | 0, i);
  }
  return out.subarray(0, size);
}

/** Text-like data (JSON-ish records, ~3:1 with gzip -1), like the state files bot modules keep. */
function textPool(size: number): Buffer {
  const words = [
    'user',
    'channel',
    'message',
    'eevee',
    'karma',
    'quote',
    'timestamp',
    'nick',
    'irc',
    'discord',
  ];
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i += 1) {
    const rnd = pseudoRandom(8, i + 7);
    const line = `{"${words[rnd[0]! % words.length]}":"${rnd.toString('base64url')}","${words[rnd[1]! % words.length]}":${rnd.readUInt32LE(4)}}\n`;
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

async function generateTree(root: string): Promise<{ bytes: number; files: number }> {
  const pool = textPool(8 * MIB);
  let bytes = 0;
  for (let i = 0; i < smallFiles; i += 1) {
    const dir = join(root, 'small', `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) await mkdir(dir, { recursive: true });
    const size = 4096 + ((i * 7919) % (28 * 1024));
    const offset = (i * 104_729) % (pool.length - size);
    await writeFile(join(dir, `f${i}.json`), pool.subarray(offset, offset + size));
    bytes += size;
  }
  await mkdir(join(root, 'large'), { recursive: true });
  for (let i = 0; i < largeFiles; i += 1) {
    const out = createWriteStream(join(root, 'large', `blob${i}.bin`));
    for (let m = 0; m < largeMib; m += 1) {
      if (!out.write(pseudoRandom(MIB, i * 100_000 + m + 1))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    bytes += largeMib * MIB;
  }
  return { bytes, files: smallFiles + largeFiles };
}

async function treeSize(root: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { bytes, files };
}

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Flushes dirty pages so that no run pays for the writeback of what an earlier one wrote. */
async function settle(): Promise<void> {
  const child = spawn('sync', { stdio: 'ignore' });
  await once(child, 'exit');
}

async function peakRssKib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Runs node on `args`, polling the child's peak RSS until it exits; returns its stdout, wall time and peak RSS. */
async function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; code: number | null; seconds: number; peakMib: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  let peak = 0;
  const poll = setInterval(() => {
    void peakRssKib(child.pid ?? 0).then((kib) => (peak = Math.max(peak, kib)));
  }, 20);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(poll);
  return { stdout, code, seconds: (performance.now() - started) / 1000, peakMib: peak / 1024 };
}

/** Runs the CLI like a Job does; returns its result, wall time and peak RSS. */
async function runCli(
  action: string,
  env: Record<string, string>,
): Promise<{ result: RunResult; seconds: number; peakMib: number }> {
  const { stdout, code, seconds, peakMib } = await runNode([main, action], env);
  const result = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '{}') as RunResult;
  if (code !== 0 || !result.ok) throw new Error(`${action} failed (exit ${code}): ${stdout}`);
  return { result, seconds, peakMib };
}

if (!fromSource) {
  // As the package's `build` script does; the baseline is bundled the same way so RSS compares.
  for (const [entry, outfile] of [
    [join(app, 'src', 'main.ts'), main],
    [join(app, 'bench', 'baseline-upload.ts'), baselineScript],
    [join(app, 'bench', 'pipeline-only.ts'), pipelineScript],
  ] as const) {
    await bundleApp(entry, outfile);
  }
}

const s3 = await startS3();
try {
  const volume = process.env.BENCH_VOLUME ?? join(work, 'volume');
  let tree;
  if (process.env.BENCH_VOLUME === undefined) {
    console.error(
      `generating ${smallFiles} small files and ${largeFiles} × ${largeMib} MiB in ${volume} ...`,
    );
    tree = await generateTree(volume);
  } else {
    tree = await treeSize(volume);
  }
  const treeMib = tree.bytes / MIB;
  const env: Record<string, string> = {
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: 'bench',
    S3_PATH_STYLE: 'true',
    S3_ACCESS_ID: s3.accessKeyId,
    S3_SECRET_KEY: s3.secretAccessKey,
    S3_REGION: s3.region,
    BACKUP_NAMESPACE: 'bench',
    BACKUP_MODULE: 'volume',
    RESTORE_NAMESPACE: 'bench',
    RESTORE_MODULE: 'volume',
    RESULT_FILE: join(work, 'result.json'),
  };
  const config = parseConfig('backup', { ...env, BACKUP_PVC_PATH: volume });
  const client = createS3Client(config.s3);
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  client.destroy();

  // Baseline: the same byte count, random (incompressible), straight from a file with lib-storage (its default
  // parts and queue, which the runner uses too) and the runner's client settings.
  const baselineFile = join(work, 'baseline.bin');
  const out = createWriteStream(baselineFile);
  for (let written = 0, i = 0; written < tree.bytes; written += MIB, i += 1) {
    if (!out.write(pseudoRandom(Math.min(MIB, tree.bytes - written), 9_000_000 + i)))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  // Interleaved rounds of baseline, backup and restore, each started from clean page cache state (`sync`: no
  // writeback of an earlier run's data competing with this one), compared by their medians: on these shared
  // machines one run of the same upload took anywhere from 5 to 10 s. Odd rounds run the baseline first, even
  // rounds last, so neither side always follows the other's S3 writes. Nothing is deleted or overwritten between
  // runs (each round uploads its own baseline key and restores into its own directory): on this VM's ext4
  // (mounted with `discard`) freeing a GiB slows the file system calls of whatever runs next for seconds.
  const baselineRuns: { seconds: number; peakMib: number }[] = [];
  const backupRuns: { seconds: number; peakMib: number; bytes: number; id: string }[] = [];
  const restoreRuns: { seconds: number; peakMib: number }[] = [];
  const runBaseline = async (round: number) => {
    await settle();
    const run = await runNode([baselineScript], {
      ...env,
      BASELINE_FILE: baselineFile,
      BASELINE_KEY: `baseline-${round}.bin`,
    });
    if (run.code !== 0) throw new Error(`baseline upload failed (exit ${run.code})`);
    baselineRuns.push(run);
  };
  const runBackupAndRestore = async (round: number) => {
    await settle();
    const backup = await runCli('backup', {
      ...env,
      BACKUP_PVC_PATH: volume,
      BACKUP_GZIP_LEVEL: String(DEFAULT_GZIP_LEVEL),
    });
    if (!backup.result.ok || backup.result.action !== 'backup') throw new Error('backup reported no backup');
    backupRuns.push({ ...backup, bytes: backup.result.bytes, id: backup.result.backupId });

    const target = join(work, `restored-${round}`);
    await mkdir(target);
    await settle();
    const restore = await runCli('restore', {
      ...env,
      BACKUP_PVC_PATH: target,
      RESTORE_BACKUP_ID: backup.result.backupId,
      RESTORE_CLEAN: 'true',
    });
    restoreRuns.push(restore);
    const restored = await treeSize(target);
    if (restored.bytes !== tree.bytes || restored.files !== tree.files) {
      throw new Error(
        `restored ${restored.files} files / ${restored.bytes} bytes, expected ${tree.files} / ${tree.bytes}`,
      );
    }
  };
  for (let round = 1; round <= rounds; round += 1) {
    const baselineFirst = round % 2 === 1;
    console.error(
      `round ${round} of ${rounds}: ${baselineFirst ? 'baseline, backup, restore' : 'backup, restore, baseline'}`,
    );
    if (baselineFirst) await runBaseline(round);
    await runBackupAndRestore(round);
    if (!baselineFirst) await runBaseline(round);
  }
  const baselineSeconds = median(baselineRuns.map((r) => r.seconds));
  const baseline = treeMib / baselineSeconds;

  const rows: string[] = [];
  const records: BenchRow[] = [];
  /** One row of the table, and its record: the baseline, a reference figure, or one with the throughput target. */
  const row = (
    what: string,
    seconds: number,
    archiveMib: number | undefined,
    peak: number | undefined,
    role: 'baseline' | 'reference' | 'target',
  ) => {
    const rate = treeMib / seconds;
    rows.push(
      `| ${what} | ${seconds.toFixed(1)} s | ${rate.toFixed(0)} MiB/s | ${(rate / baseline).toFixed(2)} | ${archiveMib === undefined ? '–' : `${archiveMib.toFixed(0)} MiB`} | ${peak === undefined ? '–' : `${peak.toFixed(0)} MiB`} |`,
    );
    const details = [
      `${seconds.toFixed(1)} s`,
      ...(archiveMib === undefined ? [] : [`archive ${archiveMib.toFixed(0)} MiB`]),
      ...(peak === undefined ? [] : [`peak RSS ${peak.toFixed(0)} MiB`]),
    ];
    records.push({
      measure: `${what}: throughput`,
      value: `${rate.toFixed(0)} MiB/s (${details.join(', ')})`,
      ...(role === 'baseline' ? {} : { ratio: rate / baseline }),
      ...(role === 'target' ? { target: '≥ 0.8× baseline', met: rate / baseline >= 0.8 } : {}),
    });
  };
  const spread = (runs: { seconds: number }[]) => runs.map((r) => r.seconds.toFixed(1)).join(', ');
  const peakOf = (runs: { peakMib: number }[]) => Math.max(...runs.map((r) => r.peakMib));
  row(
    `baseline: lib-storage Upload of one random file (median of ${spread(baselineRuns)} s)`,
    baselineSeconds,
    undefined,
    peakOf(baselineRuns),
    'baseline',
  );
  row(
    `backup, gzip level ${DEFAULT_GZIP_LEVEL} (median of ${spread(backupRuns)} s)`,
    median(backupRuns.map((r) => r.seconds)),
    (backupRuns[0]?.bytes ?? 0) / MIB,
    peakOf(backupRuns),
    'target',
  );
  row(
    `restore, level ${DEFAULT_GZIP_LEVEL} archive (median of ${spread(restoreRuns)} s)`,
    median(restoreRuns.map((r) => r.seconds)),
    undefined,
    peakOf(restoreRuns),
    'target',
  );

  // The other levels once each, for reference.
  let backupPeakMib = peakOf(backupRuns);
  for (const level of levels.filter((l) => l !== DEFAULT_GZIP_LEVEL)) {
    await settle();
    const run = await runCli('backup', { ...env, BACKUP_PVC_PATH: volume, BACKUP_GZIP_LEVEL: String(level) });
    if (run.result.ok && run.result.action === 'backup') {
      row(`backup, gzip level ${level}`, run.seconds, run.result.bytes / MIB, run.peakMib, 'reference');
      backupPeakMib = Math.max(backupPeakMib, run.peakMib);
    }
  }

  await settle();
  const pipeline = await runNode([pipelineScript], {
    BENCH_PIPELINE_VOLUME: volume,
    BACKUP_GZIP_LEVEL: String(DEFAULT_GZIP_LEVEL),
  });
  if (pipeline.code !== 0) throw new Error(`pipeline-only run failed (exit ${pipeline.code})`);
  const pipelineBytes = (JSON.parse(pipeline.stdout) as { bytes: number }).bytes;
  row(
    `backup pipeline alone, level ${DEFAULT_GZIP_LEVEL}, no S3`,
    pipeline.seconds,
    pipelineBytes / MIB,
    pipeline.peakMib,
    'reference',
  );
  const restorePeakMib = peakOf(restoreRuns);

  console.log(
    `\nVolume: ${tree.files} files, ${treeMib.toFixed(0)} MiB` +
      (process.env.BENCH_VOLUME === undefined
        ? ` (${smallFiles} small text files of 4–32 KiB, ${largeFiles} × ${largeMib} MiB random)`
        : ` (${volume})`) +
      `. Processes: \`node ${NODE_FLAGS.join(' ')}\` on the ${fromSource ? 'sources' : 'esbuild bundles'}. ` +
      'Throughput = volume MiB / wall time; ratio = throughput / baseline.\n',
  );
  console.log('| run | time | throughput | ratio to baseline | archive | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const line of rows) console.log(line);

  // A peak of 0 means /proc could not be read: not a pass.
  const rss = (what: string, mib: number): BenchRow => ({
    measure: `${what}: peak RSS`,
    value: `${mib.toFixed(0)} MiB`,
    target: '< 150 MiB',
    met: mib > 0 && mib < 150,
  });
  recordBenchmark({
    name: 'backup',
    title: 'backup-runner: backup and restore of a module volume',
    issue: '#7',
    rows: [
      ...records,
      rss(
        `backup (highest of gzip levels ${[...new Set([DEFAULT_GZIP_LEVEL, ...levels])].join(', ')})`,
        backupPeakMib,
      ),
      rss('restore', restorePeakMib),
    ],
    notes: [
      `Volume: ${tree.files} files, ${treeMib.toFixed(0)} MiB` +
        (process.env.BENCH_VOLUME === undefined
          ? ` (${smallFiles} small text files of 4–32 KiB, ${largeFiles} × ${largeMib} MiB random).`
          : '.'),
      `Processes: \`node ${NODE_FLAGS.join(' ')}\` on the ${fromSource ? 'sources' : 'esbuild bundles'}; ` +
        'throughput = volume MiB / wall time; ratio = throughput / baseline (a plain lib-storage Upload of a ' +
        `random file of the same size with its defaults; both upload parts of ${DEFAULT_PART_BYTES / MIB} MiB, ` +
        `${UPLOAD_QUEUE_SIZE} in flight).`,
      `The throughput target applies to the default gzip level (${DEFAULT_GZIP_LEVEL}) and to the restore; ` +
        `baseline, backup and restore ran in ${rounds} interleaved rounds, each after a \`sync\`, and are ` +
        'compared by their medians; peak RSS is the highest of the rounds.',
    ],
  });
} finally {
  await s3.stop();
  await rm(work, { recursive: true, force: true });
}
