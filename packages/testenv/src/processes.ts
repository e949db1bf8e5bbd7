// Every process testenv starts is recorded by PID in its instance's state directory and stopped by that PID:
// on stop(), by a watchdog when the owning test run dies, or by the next start when even the watchdog is gone.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateRoot } from './paths.ts';

interface PidRecord {
  name: string;
  pid: number;
  command: string;
}

interface OwnerRecord {
  /** PID of the process whose death makes this instance garbage; absent for `pnpm cluster up` instances. */
  ownerPid?: number;
  createdAt: string;
}

export interface StartedProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<string>;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is still the process we started (and not an unrelated process that reused the PID). */
function isOurs(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return argv0 === record.command;
  } catch {
    return false;
  }
}

async function stopPid(record: PidRecord, graceMs: number): Promise<void> {
  if (!isOurs(record)) return;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record.pid)) return;
    await sleep(50);
  }
  if (isOurs(record)) process.kill(record.pid, 'SIGKILL');
  while (isAlive(record.pid)) await sleep(20);
}

/**
 * The state directory of one running thing (a cluster, a NATS server, an S3 server): certificates, data,
 * logs, and one PID file per process, numbered so that stopping goes in reverse start order.
 */
export class Instance {
  readonly dir: string;
  readonly logsDir: string;
  private readonly pidsDir: string;
  private sequence = 0;
  private readonly children: ChildProcess[] = [];

  private constructor(dir: string) {
    this.dir = dir;
    this.logsDir = join(dir, 'logs');
    this.pidsDir = join(dir, 'pids');
  }

  /** Creates a fresh state directory. With `ownerPid`, a watchdog stops everything when that process dies. */
  static create(id: string, options: { ownerPid?: number }): Instance {
    const dir = join(stateRoot(), id);
    rmSync(dir, { recursive: true, force: true });
    const instance = new Instance(dir);
    mkdirSync(instance.logsDir, { recursive: true });
    mkdirSync(instance.pidsDir, { recursive: true });
    const owner: OwnerRecord = { createdAt: new Date().toISOString() };
    if (options.ownerPid !== undefined) owner.ownerPid = options.ownerPid;
    writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
    if (options.ownerPid !== undefined) startWatchdog(dir, options.ownerPid);
    return instance;
  }

  static open(id: string): Instance | undefined {
    const dir = join(stateRoot(), id);
    return existsSync(join(dir, 'owner.json')) ? new Instance(dir) : undefined;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): StartedProcess {
    const logPath = join(this.logsDir, `${name}.log`);
    const log = openSync(logPath, 'a');
    // detached: a new process group, so a terminal's Ctrl-C reaches the test runner, which stops these in order.
    const child = spawn(command, args, {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...env },
      detached: true,
    });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    child.unref();
    this.children.push(child);
    const record: PidRecord = { name, pid: child.pid, command };
    // Numbered after every PID file present, also when another process (an attached handle) started some.
    const numbers = readdirSync(this.pidsDir)
      .map((f) => Number.parseInt(f, 10))
      .filter(Number.isFinite);
    this.sequence = Math.max(this.sequence, ...numbers) + 1;
    writeFileSync(
      join(this.pidsDir, `${String(this.sequence).padStart(3, '0')}-${name}.json`),
      JSON.stringify(record),
    );
    const exited = new Promise<string>((resolveExit) => {
      child.on('exit', (code, signal) => resolveExit(signal ?? String(code)));
      child.on('error', (err) => resolveExit(err.message));
    });
    return { name, pid: child.pid, logPath, exited };
  }

  /** Stops one process by name (e.g. to restart it) and forgets its PID file. */
  async stopProcess(name: string, graceMs = 10_000): Promise<void> {
    for (const file of readdirSync(this.pidsDir).filter((f) => f.endsWith(`-${name}.json`))) {
      const record = JSON.parse(readFileSync(join(this.pidsDir, file), 'utf8')) as PidRecord;
      await stopPid(record, graceMs);
      rmSync(join(this.pidsDir, file), { force: true });
    }
  }

  pids(): PidRecord[] {
    if (!existsSync(this.pidsDir)) return [];
    return readdirSync(this.pidsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(this.pidsDir, f), 'utf8')) as PidRecord);
  }

  async logTail(name: string, lines = 40): Promise<string> {
    try {
      const text = await readFile(join(this.logsDir, `${name}.log`), 'utf8');
      return text.split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async allLogTails(lines = 30): Promise<string> {
    const names = this.pids().map((p) => p.name);
    const parts = await Promise.all(names.map(async (n) => `--- ${n} ---\n${await this.logTail(n, lines)}`));
    return parts.join('\n');
  }

  /** Stops every recorded process, newest first, then removes the state directory. */
  async stop(graceMs = 10_000): Promise<void> {
    await stopInstanceDir(this.dir, graceMs);
  }
}

export async function stopInstanceDir(dir: string, graceMs = 10_000): Promise<void> {
  const pidsDir = join(dir, 'pids');
  const records = existsSync(pidsDir)
    ? readdirSync(pidsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .reverse()
        .map((f) => JSON.parse(readFileSync(join(pidsDir, f), 'utf8')) as PidRecord)
    : [];
  for (const record of records) await stopPid(record, graceMs);
  rmSync(dir, { recursive: true, force: true });
}

/** Stops what a crashed earlier run left behind: instances whose owner process is gone. */
export async function reapStaleInstances(): Promise<string[]> {
  const root = stateRoot();
  if (!existsSync(root)) return [];
  const reaped: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    let owner: OwnerRecord;
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as OwnerRecord;
    } catch {
      continue;
    }
    if (owner.ownerPid === undefined || isAlive(owner.ownerPid)) continue;
    await stopInstanceDir(dir, 2_000);
    reaped.push(entry.name);
  }
  return reaped;
}

function startWatchdog(dir: string, ownerPid: number): void {
  const watchdog = spawn(
    process.execPath,
    [join(import.meta.dirname, 'watchdog.ts'), dir, String(ownerPid)],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  watchdog.unref();
}
