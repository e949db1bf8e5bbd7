// The S3Store connection test: the bucket exists and these credentials can write to it (backups need
// PutObject), shown by HeadBucket and a small probe object put and deleted under the store's prefix.
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeS3Error } from './s3-errors.ts';

export interface ConnectionTestResult {
  success: boolean;
  message: string;
  latencyMs: number;
}

export async function testConnection(
  client: S3Client,
  location: { endpoint: string; bucket: string; prefix: string },
): Promise<ConnectionTestResult> {
  const { bucket, prefix } = location;
  const started = performance.now();
  let step = 'HeadBucket';
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    const key = `${prefix}.eevee-probe/${randomUUID()}`;
    step = 'PutObject';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'eevee connection test' }));
    step = 'DeleteObject';
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return {
      success: true,
      message: `Bucket "${bucket}" is reachable and writable`,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    return {
      success: false,
      message: `${step} on bucket "${bucket}" failed: ${describeS3Error(err, location.endpoint, bucket)}`,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}
