// The status page in headless Chromium (Debian's, driven by playwright-core): it lists the sample bot's modules
// with phase, replicas, image and last restart; restart buttons stay off until a token is entered; a click
// sets eevee.bot/restartedAt on the BotModule; values from the cluster are shown as text, never run.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import { CRDS_DIR } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { eventually, launchChromium } from '@eevee/testenv';
import type { Browser } from '@eevee/testenv';
import type { Harness } from './harness.ts';
import { TOKEN, applyModuleStatus, call, eventuallyAnswers, startGatewayHarness } from './harness.ts';

let h: Harness;
let browser: Browser;
let page: Page;
const modules: string[] = [];

beforeAll(async () => {
  h = await startGatewayHarness('gwpage');
  const docs = parseAllDocuments(readFileSync(join(CRDS_DIR, 'examples', 'sample-bot.yaml'), 'utf8')).map(
    (d) => d.toJSON() as KubeObject,
  );
  for (const doc of docs.filter((d) => d.kind === 'BotModule')) {
    modules.push(doc.metadata.name);
    await h.admin.apply(
      RESOURCES.BotModule,
      { ...doc, metadata: { ...doc.metadata, namespace: h.ns.name } },
      'kubectl',
    );
  }
  await applyModuleStatus(h.admin, h.ns.name, 'router', 'Ready');
  await h.admin.mergePatch(
    RESOURCES.BotModule,
    h.ns.name,
    'dice',
    { metadata: { annotations: { 'eevee.bot/restartedAt': '<img src=x onerror="window.__xss=1">' } } },
    'test',
  );
  await eventuallyAnswers<unknown[]>(
    h.url,
    '/api/bot-modules',
    'the sample bot cached',
    (b) => b.length === modules.length,
  );
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const row = (name: string) => page.locator(`#modules tr[data-name="${name}"]`);

it('renders the sample bot’s modules with phase, replicas, image and last restart', async () => {
  const response = await page.goto(h.url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(await page.title()).toBe('eevee operator');
  const names = await page
    .locator('#modules tbody tr')
    .evaluateAll((rows): (string | null)[] =>
      rows.map((r: { getAttribute(n: string): string | null }) => r.getAttribute('data-name')),
    );
  expect(names).toEqual([...modules].sort());
  expect(await row('router').locator('.phase').textContent()).toBe('Ready');
  expect(await row('echo').locator('.phase').textContent()).toBe('Unknown');
  expect(await row('router').locator('.image').textContent()).toBe('ghcr.io/eeveebot/router:2.6.2');
  expect(await row('router').locator('.replicas').textContent()).toBe('1/1');
  expect(await row('echo').locator('.replicas').textContent()).toBe('0/1');
  expect(await row('echo').locator('.restarted').textContent()).toBe('never');
  await page.screenshot({ path: join(tmpdir(), 'eevee-gateway-status-page.png'), fullPage: true });
});

it('shows values from the cluster as text: no markup injection', async () => {
  expect(await row('dice').locator('.restarted').textContent()).toBe('<img src=x onerror="window.__xss=1">');
  expect(await page.locator('#modules img').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
});

it('keeps restart buttons off without a token, and a restart click sets the annotation', async () => {
  expect(await row('echo').locator('button.restart').isDisabled()).toBe(true);
  // A wrong token: the API's answer is shown, nothing changes.
  await page.fill('#token', 'not-the-token');
  await page.click('#save-token');
  await row('echo').locator('button.restart').click();
  await expect.poll(() => page.locator('#result').textContent()).toContain('failed: 401 Invalid token');

  await page.click('#forget-token');
  expect(await row('echo').locator('button.restart').isDisabled()).toBe(true);
  await page.fill('#token', TOKEN);
  await page.click('#save-token');
  expect(await page.evaluate(() => sessionStorage.getItem('eevee-operator-api-token'))).toBe(TOKEN);
  expect(await page.inputValue('#token')).toBe('');
  await row('echo').locator('button.restart').click();
  await expect
    .poll(() => page.locator('#result').textContent())
    .toMatch(/^Restart of .+\/echo requested at /);
  const shown = await row('echo').locator('.restarted').textContent();
  const echo = await eventually(
    'the annotation',
    () => h.admin.get(RESOURCES.BotModule, h.ns.name, 'echo'),
    (m) => m.metadata.annotations?.['eevee.bot/restartedAt'] !== undefined,
  );
  expect(echo.metadata.annotations?.['eevee.bot/restartedAt']).toBe(shown);
  // Only echo was restarted.
  const help = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/help`);
  expect(help.body).toMatchObject({ restartedAt: null });

  // A reload shows the new value from the cache, and the token survives in this tab.
  await eventually(
    'the cache to follow',
    () => page.reload().then(() => row('echo').locator('.restarted').textContent()),
    (t) => t === shown,
  );
  expect(await row('echo').locator('button.restart').isDisabled()).toBe(false);
});
