// Unit tests of PID bookkeeping with real, harmless processes (sleep); no cluster.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';

const state = mkdtempSync(join(tmpdir(), 'testenv-unit-'));
process.env.EEVEE_TESTENV_STATE = state;
const { Instance, isAlive, reapStaleInstances } = await import('../src/processes.ts');

let deadPid: number;

beforeAll(async () => {
  const short = spawn('true');
  await new Promise((resolveExit) => short.on('exit', resolveExit));
  deadPid = short.pid!;
});

afterAll(() => {
  delete process.env.EEVEE_TESTENV_STATE;
});

it('stops its processes newest first and removes its state directory', async () => {
  const instance = Instance.create('unit-stop', {});
  const a = instance.start('a', '/bin/sleep', ['30']);
  const b = instance.start('b', '/bin/sleep', ['30']);
  expect(instance.pids().map((p) => p.name)).toEqual(['a', 'b']);
  expect(isAlive(a.pid) && isAlive(b.pid)).toBe(true);
  await instance.stop(2_000);
  await Promise.all([a.exited, b.exited]);
  expect(isAlive(a.pid) || isAlive(b.pid)).toBe(false);
  expect(existsSync(instance.dir)).toBe(false);
});

it('reaps instances whose owner died, and leaves live owners and ownerless (CLI) instances alone', async () => {
  const orphan = Instance.create('unit-orphan', {});
  const victim = orphan.start('victim', '/bin/sleep', ['30']);
  writeFileSync(orphan.path('owner.json'), JSON.stringify({ ownerPid: deadPid, createdAt: '' }));
  const owned = Instance.create('unit-owned', {});
  writeFileSync(owned.path('owner.json'), JSON.stringify({ ownerPid: process.pid, createdAt: '' }));
  const persistent = Instance.create('unit-persistent', {});

  expect(await reapStaleInstances()).toEqual(['unit-orphan']);
  await victim.exited;
  expect(isAlive(victim.pid)).toBe(false);
  expect(existsSync(orphan.dir)).toBe(false);
  expect(existsSync(owned.dir) && existsSync(persistent.dir)).toBe(true);
  await owned.stop();
  await persistent.stop();
});

it('never signals a PID that now belongs to another program', async () => {
  const instance = Instance.create('unit-reused', {});
  const stranger = spawn('/bin/sleep', ['30']);
  mkdirSync(instance.path('pids'), { recursive: true });
  // A record claiming the stranger's PID but another command, as after PID reuse.
  writeFileSync(
    instance.path('pids', '001-etcd.json'),
    JSON.stringify({ name: 'etcd', pid: stranger.pid, command: '/nonexistent/etcd' }),
  );
  await instance.stop(500);
  expect(isAlive(stranger.pid!)).toBe(true);
  stranger.kill();
});
