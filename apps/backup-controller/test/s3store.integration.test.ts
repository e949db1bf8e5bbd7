// S3Store connection tests against the real S3 server, the controller running as its ServiceAccount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import { eventsOf as eventsOn } from '@eevee/runtime/testing';
import { applyStore, putSecret, ready, startBackupController, waitFor } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBackupController('s3store');
});
afterAll(async () => {
  await h?.stop();
});

describe('an S3Store', () => {
  it('is Ready when the bucket can be reached and written, and records the test', async () => {
    await applyStore(h, 'good');
    const store = await waitFor(h, RESOURCES.S3Store, 'good', 'Ready', (s) => ready(s)?.status === 'True');
    expect(ready(store)).toMatchObject({
      reason: 'ConnectionSuccessful',
      message: 'S3 connection test succeeded',
    });
    expect(store.status?.['lastConnectionTest']).toMatchObject({
      success: true,
      message: `Bucket "${h.bucket}" is reachable and writable`,
    });
    expect(store.status?.['observedGeneration']).toBe(store.metadata.generation);
  });

  it('says why it is not Ready: wrong credentials, a missing bucket, a missing Secret, and recovers on a fix', async () => {
    await putSecret(h, 'bad-creds', { id: h.s3.accessKeyId, key: 'wrong-secret' });
    await applyStore(h, 'bad', {
      accessKey: { secretKeyRef: { secret: { name: 'bad-creds' }, key: 'key' } },
    });
    const bad = await waitFor(
      h,
      RESOURCES.S3Store,
      'bad',
      'ConnectionFailed',
      (s) => ready(s)?.reason === 'ConnectionFailed',
    );
    expect(ready(bad)?.message).toMatch(
      /^S3 connection test failed: HeadBucket on bucket "b-s3store" failed: S3 (refused|denied)/,
    );
    expect(JSON.stringify(bad)).not.toContain('wrong-secret');
    expect(await eventsOn(h.admin, h.ns.name, 'bad')).toContainEqual(
      expect.stringMatching(/^ConnectionFailed: /),
    );

    // Fixing the Secret triggers a new test (the Secret is watched).
    await putSecret(h, 'bad-creds', { id: h.s3.accessKeyId, key: h.s3.secretAccessKey });
    await waitFor(h, RESOURCES.S3Store, 'bad', 'Ready after the fix', (s) => ready(s)?.status === 'True');

    await applyStore(h, 'nobucket', { bucket: 'does-not-exist' });
    const missing = await waitFor(
      h,
      RESOURCES.S3Store,
      'nobucket',
      'ConnectionFailed',
      (s) => ready(s)?.reason === 'ConnectionFailed',
    );
    expect(ready(missing)?.message).toMatch(/does not exist|404/);

    await applyStore(h, 'nosecret', {
      accessId: { secretKeyRef: { secret: { name: 'absent' }, key: 'id' } },
    });
    const nosecret = await waitFor(
      h,
      RESOURCES.S3Store,
      'nosecret',
      'SecretNotFound',
      (s) => ready(s)?.reason === 'SecretNotFound',
    );
    expect(ready(nosecret)?.message).toBe('Failed to resolve S3 credentials: Secret "absent" not found');
  });

  it('does not test again before its interval unless the spec or Secrets change', async () => {
    const before = await h.admin.get<
      { status?: { lastConnectionTest?: { time: string } } } & { metadata: { name: string } }
    >(RESOURCES.S3Store, h.ns.name, 'good');
    const writes = h.manager.client.writes;
    h.manager.controllers[0]!.enqueue(`${h.ns.name}/good`);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(h.manager.client.writes).toBe(writes);
    const after = await h.admin.get<typeof before>(RESOURCES.S3Store, h.ns.name, 'good');
    expect(after.status?.lastConnectionTest?.time).toBe(before.status?.lastConnectionTest?.time);
  });
});
