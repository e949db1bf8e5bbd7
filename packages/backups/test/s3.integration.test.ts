// The shared S3 pieces against the real S3 server (versitygw) on loopback.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3 } from '@eevee/testenv';
import type { S3Server } from '@eevee/testenv';
import { backupKey, listBackups, s3Client, testConnection } from '../src/index.ts';

let s3: S3Server;
const location = () => ({ endpoint: s3.endpoint, region: s3.region, pathStyle: true });
const client = () =>
  s3Client(location(), { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });

beforeAll(async () => {
  s3 = await startS3();
  await client().send(new CreateBucketCommand({ Bucket: 'backups' }));
});
afterAll(async () => {
  await s3?.stop();
});

describe('the connection test', () => {
  it('passes with good credentials on an existing bucket', async () => {
    const result = await testConnection(client(), {
      endpoint: s3.endpoint,
      bucket: 'backups',
      prefix: 'bots/',
    });
    expect(result).toMatchObject({ success: true, message: 'Bucket "backups" is reachable and writable' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('says what failed, without the secret, for wrong credentials and a missing bucket', async () => {
    const wrong = s3Client(location(), { accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret' });
    const refused = await testConnection(wrong, { endpoint: s3.endpoint, bucket: 'backups', prefix: '' });
    expect(refused.success).toBe(false);
    expect(refused.message).toMatch(/^HeadBucket on bucket "backups" failed: S3 (refused|denied)/);
    expect(refused.message).not.toContain('not-the-secret');
    const missing = await testConnection(client(), { endpoint: s3.endpoint, bucket: 'nope', prefix: '' });
    expect(missing).toMatchObject({ success: false });
    expect(missing.message).toMatch(/does not exist|404/);
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    // A port nothing listens on refuses at once; 10.255.255.1 is unroutable: the connect timeout applies.
    const blackHole = s3Client(
      { endpoint: 'http://10.255.255.1:9', region: 'us-east-1', pathStyle: true },
      { accessKeyId: 'a', secretAccessKey: 'b' },
      { connectMs: 300, requestMs: 300 },
    );
    const started = Date.now();
    const result = await testConnection(blackHole, {
      endpoint: 'http://10.255.255.1:9',
      bucket: 'backups',
      prefix: '',
    });
    expect(result.success).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('the catalogue of a module', () => {
  it("lists only that module's backups, newest first, across pages", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      ids.push(id);
      await client().send(
        new PutObjectCommand({
          Bucket: 'backups',
          Key: backupKey({ prefix: 'p/', namespace: 'chat', module: 'seen' }, id),
          Body: `b${i}`,
        }),
      );
      await sleep(1_100); // LastModified has a resolution of one second
    }
    for (const key of [
      'p/chat/seen/not-a-uuid.tar.gz',
      'p/chat/seen/x/y.tar.gz',
      `p/chat/seenx/${randomUUID()}.tar.gz`,
    ])
      await client().send(new PutObjectCommand({ Bucket: 'backups', Key: key, Body: 'x' }));
    const backups = await listBackups(
      client(),
      'backups',
      { prefix: 'p/', namespace: 'chat', module: 'seen' },
      { pageSize: 2 },
    );
    expect(backups.map((b) => b.id)).toEqual([...ids].reverse());
    expect(backups[0]!.key).toBe(`p/chat/seen/${ids[2]}.tar.gz`);
  });
});
