// uploadArchive against the real S3 server: one PutObject for a small archive, a multipart upload of pooled parts
// for a big one (byte-for-byte, on and off part boundaries), and nothing left behind when the archive fails.
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './harness.ts';
import type { Fixture } from './harness.ts';
import { createS3Client } from '../src/s3-client.ts';
import { parseConfig } from '../src/config.ts';
import { uploadArchive } from '../src/upload.ts';
import type { S3Client } from '@aws-sdk/client-s3';

const MIB = 1024 * 1024;
/** S3's smallest part (all but the last). */
const PART = 5 * MIB;

let s3: Fixture;
let client: S3Client;

beforeAll(async () => {
  s3 = await startFixture('uploads');
  client = createS3Client(parseConfig('backup', { ...s3.env(), BACKUP_PVC_PATH: '/' }).s3);
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

/** `data` in uneven chunks, as the gzip stage hands them over. */
async function* chunks(data: Buffer, failAfter?: number): AsyncGenerator<Buffer> {
  for (let at = 0, i = 0; at < data.length; i += 1) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('the volume could not be read');
    const size = [700_000, 1_300_001, 65_536][i % 3] ?? 1;
    await new Promise(setImmediate); // a producer that yields to the event loop, as reading files does
    yield data.subarray(at, at + size);
    at += size;
  }
}

async function stored(key: string): Promise<Buffer> {
  const object = await s3.admin.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

async function openUploads(): Promise<number> {
  const listed = await s3.admin.send(new ListMultipartUploadsCommand({ Bucket: 'uploads' }));
  return listed.Uploads?.length ?? 0;
}

describe('uploadArchive', () => {
  it.each([
    ['smaller than a part', 3 * MIB + 17],
    ['empty', 0],
    ['several parts and a short one', 2 * PART + 123_457],
    ['exactly two parts', 2 * PART],
  ])('stores an archive %s byte for byte', async (_what, size) => {
    const data = randomBytes(size);
    const key = `archive-${size}.tar.gz`;
    const { etag } = await uploadArchive(
      client,
      { bucket: 'uploads', key, partSize: PART, queueSize: 2 },
      chunks(data),
    );
    expect(etag).toBeTruthy();
    expect((await stored(key)).equals(data)).toBe(true);
    const head = await s3.admin.send(new HeadObjectCommand({ Bucket: 'uploads', Key: key }));
    expect(head.ContentType).toBe('application/gzip');
    // A multipart object's ETag ends in "-<parts>"; a single PutObject's does not.
    const parts = Math.ceil(size / PART);
    expect(etag?.includes('-')).toBe(parts > 1);
    if (parts > 1) expect(etag).toMatch(new RegExp(`-${parts}"?$`));
  });

  it('aborts the multipart upload when the archive fails after some parts were sent', async () => {
    const data = randomBytes(4 * PART);
    const key = 'failed.tar.gz';
    await expect(
      uploadArchive(
        client,
        { bucket: 'uploads', key, partSize: PART, queueSize: 2 },
        chunks(data, 2 * PART + 1),
      ),
    ).rejects.toThrow('the volume could not be read');
    expect(await openUploads()).toBe(0);
    await expect(s3.admin.send(new HeadObjectCommand({ Bucket: 'uploads', Key: key }))).rejects.toThrow();
  });
});
