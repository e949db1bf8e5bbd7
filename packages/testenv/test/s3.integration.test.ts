// A real S3 server that checks SigV4: put/list/get work with the right keys, the wrong secret is refused.
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3 } from '../src/index.ts';
import type { S3Server } from '../src/index.ts';

let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3();
});

afterAll(async () => {
  await s3?.stop();
});

function client(secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
  });
}

it('puts, lists and gets an object with SigV4 credentials', async () => {
  const c = client(s3.secretAccessKey);
  await c.send(new CreateBucketCommand({ Bucket: 'eevee-backups' }));
  const key = 'backups/default/echo/0b5c3a9e-1f2d-4c6b-9a8e-7d6f5e4c3b2a.tar.gz';
  await c.send(
    new PutObjectCommand({
      Bucket: 'eevee-backups',
      Key: key,
      Body: 'archive bytes',
      Metadata: { sha256: 'abc' },
    }),
  );
  const list = await c.send(
    new ListObjectsV2Command({ Bucket: 'eevee-backups', Prefix: 'backups/default/echo/' }),
  );
  expect(list.Contents?.map((o) => o.Key)).toEqual([key]);
  const got = await c.send(new GetObjectCommand({ Bucket: 'eevee-backups', Key: key }));
  expect(await got.Body?.transformToString()).toBe('archive bytes');
  expect(got.Metadata).toEqual({ sha256: 'abc' });
  c.destroy();
});

it('refuses a request signed with the wrong secret', async () => {
  const c = client('wrong-secret-key-0123456789');
  await expect(c.send(new ListObjectsV2Command({ Bucket: 'eevee-backups' }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 403 },
  });
  c.destroy();
});
