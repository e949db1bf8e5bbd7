// What the ipc-controller logs (its winston JSON logs at debug, as the runtime writes them) never contains a
// token: across generation (including a failed create, whose request carried the new token), rotation, an
// external NATS's user token, and tokens it refuses.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, createLogger } from '@eevee/runtime';
import type { ResourceType } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import { applyIpcConfig, condition, isReady, secretData, startIpcController, waitForIpc } from './harness.ts';
import type { Harness } from './harness.ts';

const RESOURCE_QUOTA: ResourceType = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  namespaced: true,
};

let h: Harness;
let logs = '';
/** Every token value the controller handled during the test. */
const tokens = new Set<string>();

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  h = await startIpcController(
    'ipclogs',
    { LOG_LEVEL: 'debug' },
    createLogger({ name: 'ipc-controller', level: 'debug', stream }),
  );
});
afterAll(async () => {
  await h?.stop();
});

const putSecret = (name: string, stringData: Record<string, string>) => {
  tokens.add(stringData['token'] ?? '');
  return h.admin.apply(
    RESOURCES.Secret,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: h.ns.name }, stringData },
    'test',
  );
};
const remember = async (secret: string) => {
  const token = (await secretData(h, secret))['token']!;
  tokens.add(token);
  return token;
};

describe("the ipc-controller's logs", () => {
  it('generates a token after a refused create, logging the failure but neither token', async () => {
    // A quota of no Secrets: the create that carries the generated token fails, and the controller logs why.
    await h.admin.create(RESOURCE_QUOTA, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'no-secrets', namespace: h.ns.name },
      spec: { hard: { 'count/secrets': '0' } },
    });
    await applyIpcConfig(h, 'bot', {});
    await eventually(
      'the refused create to be logged',
      () => Promise.resolve(logs),
      (l) => l.includes('reconcile failed; retrying') && l.includes('creating Secret nats-token'),
    );
    await h.admin.delete(RESOURCE_QUOTA, h.ns.name, 'no-secrets');
    await waitForIpc(h, 'bot', 'Ready', isReady);
    await remember('nats-token');
  });

  it('rotates without logging the old or the new token', async () => {
    const old = await remember('nats-token');
    await applyIpcConfig(h, 'bot', {}, { 'eevee.bot/rotate-token': 'r1' });
    await eventually(
      'the token to rotate',
      () => secretData(h, 'nats-token'),
      (d) => d['token'] !== old,
    );
    await remember('nats-token');
  });

  it("uses an external NATS's token, and refuses unusable ones, without logging them", async () => {
    await putSecret('ext-token', { token: 'external-user-token', host: 'nats.example.org' });
    await applyIpcConfig(h, 'ext', {
      managed: { enabled: false },
      token: { secretKeyRef: { secret: { name: 'ext-token' } } },
    });
    await waitForIpc(h, 'ext', 'Ready', isReady);

    const ref = { generate: false, secretKeyRef: { secret: { name: 'odd-token' } } };
    await putSecret('odd-token', { token: "quoted'token", host: 'somewhere' });
    await applyIpcConfig(h, 'odd', { token: ref });
    await waitForIpc(h, 'odd', 'SecretInvalid', (i) => condition(i, 'Ready')?.reason === 'SecretInvalid');
    await putSecret('odd-token', { token: 'route/unsafe?token', host: 'somewhere' });
    await applyIpcConfig(h, 'odd', { token: ref, managed: { replicas: 3 } });
    await waitForIpc(h, 'odd', 'SecretInvalid for a cluster', (i) =>
      (condition(i, 'Ready')?.message ?? '').includes('route URLs'),
    );
  });

  it('holds none of them: as given, or base64 as the Secret stores them', () => {
    expect(tokens.size).toBe(5);
    // The capture works: the runtime's JSON lines are there.
    const lines = logs.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(Buffer.from(token).toString('base64'));
    }
    // Nor the token of the refused create, never stored: nothing shaped like a generated token is there at all.
    expect(logs).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});
