// The README's start command (`./dev start` runs packages/stack/src/start.ts) against the test cluster: it
// installs the CRDs, starts the four controllers as processes, applies the sample bot (12 modules, NATS, S3
// backups with a bootstrap and a restore), shows every module Ready, prints the gateway URL and token that
// work — the status page in headless Chromium lists the modules and their events (over the NATS event bus) and
// its restart button rolls one — and Ctrl-C
// stops what it started.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually, launchChromium, testCluster } from '@eevee/testenv';
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
      await restartFromTheStatusPage(url!, token!);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);
});

/** The status page lists the 12 modules Ready; with the token, a restart click rolls echo's Deployment. */
async function restartFromTheStatusPage(url: string, token: string): Promise<void> {
  const admin = new KubeClient(cluster.kubeConfig);
  const replicaSets = async () =>
    (await admin.list(RESOURCES.ReplicaSet, { namespace: ns.name, labelSelector: 'eevee.bot/module=echo' }))
      .items.length;
  const before = await replicaSets();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    // The page asks to confirm a restart.
    page.on('dialog', (dialog) => void dialog.accept());
    expect((await page.goto(url))?.status()).toBe(200);
    const phases = await page.locator('#modules tbody tr .phase').allTextContents();
    expect(phases).toHaveLength(12);
    expect(new Set(phases)).toEqual(new Set(['Ready']));
    // The controllers' events reached the gateway over the NATS event bus the start command runs.
    expect(await page.locator('ul#events li').count()).toBeGreaterThan(0);
    await page.fill('#token', token);
    await page.click('#save-token');
    await page.locator('#modules tr[data-name="echo"] button.restart').click();
    await expect
      .poll(() => page.locator('#result').textContent())
      .toMatch(/^Restart of .+\/echo requested at /);
  } finally {
    await browser.close();
  }
  const echo = await admin.get<KubeObject>(RESOURCES.BotModule, ns.name, 'echo');
  expect(echo.metadata.annotations?.['eevee.bot/restartedAt']).toBeDefined();
  await eventually('a new ReplicaSet for echo', replicaSets, (n) => n === before + 1);
}
