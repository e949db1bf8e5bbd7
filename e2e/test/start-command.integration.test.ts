// The README's start command (`./dev start` runs packages/stack/src/start.ts) against the test cluster: it
// installs the CRDs, starts the four controllers as processes, applies the sample bot (12 modules, NATS, S3
// backups with a bootstrap and a restore), shows every module Ready, prints the gateway URL and token that
// work, and Ctrl-C stops what it started.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';

const START = join(import.meta.dirname, '..', '..', 'packages', 'stack', 'src', 'start.ts');
let cluster: Cluster;
let ns: TestNamespace;

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'e2estart');
});
afterAll(async () => {
  await ns?.delete();
});

describe('the start command', () => {
  it('runs the sample bot until every module is Ready and stops everything on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [START, '--kubeconfig', cluster.kubeconfigPath, '--namespace', ns.name, '--timeout', '150'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(
        'the start command to print where to look',
        () => Promise.resolve(stdout),
        (out) => out.includes('Ctrl-C stops') || child.exitCode !== null,
        170_000,
      );
      expect(stderr).toContain('every module is Ready');
      expect(stdout).toContain('12/12 modules Ready');
      const url = /API gateway {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const token = /API token {4}(\S+)/.exec(stdout)?.[1];
      expect(url && token).toBeTruthy();
      const list = (await (
        await fetch(`${url}/api/v1/namespaces/${ns.name}/botmodules`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { items: { name: string; phase: string }[] };
      expect(list.items).toHaveLength(12);
      expect(list.items.every((m) => m.phase === 'Ready')).toBe(true);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);
});
