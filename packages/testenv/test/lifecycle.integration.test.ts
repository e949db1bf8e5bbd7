// Nothing testenv starts outlives it: not after stop(), and not after the owning process is killed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually, isAlive, startCluster } from '../src/index.ts';

it('starting and stopping a cluster leaves no process behind', { timeout: 180_000 }, async () => {
  const cluster = await startCluster({ name: `lifecycle-${process.pid}` });
  const processes = cluster.processes();
  expect(processes.map((p) => p.name)).toEqual([
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kwok',
  ]);
  const pids = processes.map((p) => p.pid);
  expect(pids.every(isAlive)).toBe(true);
  const nodes = await cluster.kubectl(['get', 'nodes', '-o', 'name']);
  expect(nodes.trim()).toBe('node/kwok-node-0');
  await cluster.stop();
  expect(pids.filter(isAlive)).toEqual([]);
});

it('a killed owner process leaves no process behind (the watchdog stops them)', async () => {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'start-nats-then-wait.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const { pid } = JSON.parse(line.toString()) as { pid: number };
  expect(isAlive(pid)).toBe(true);
  child.kill('SIGKILL');
  await eventually(
    'the orphaned nats-server to be stopped',
    () => Promise.resolve(isAlive(pid)),
    (alive) => !alive,
    15_000,
  );
});
