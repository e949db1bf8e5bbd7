// The benchmark's baseline, run as its own process like the CLI so its peak RSS compares: one plain
// @aws-sdk/lib-storage Upload of a file stream, with the runner's S3 client settings, part size and queue.
// Env: BASELINE_FILE, BASELINE_PART_BYTES, BASELINE_QUEUE_SIZE and the runner's S3_* variables.
import { createReadStream } from 'node:fs';
import { Upload } from '@aws-sdk/lib-storage';
import { parseConfig } from '../src/config.ts';
import { createS3Client } from '../src/s3-client.ts';

const env = process.env;
const config = parseConfig('backup', { ...env, BACKUP_NAMESPACE: 'baseline', BACKUP_MODULE: 'baseline' });
const client = createS3Client(config.s3);
await new Upload({
  client,
  params: { Bucket: config.s3.bucket, Key: 'baseline.bin', Body: createReadStream(env.BASELINE_FILE ?? '') },
  partSize: Number(env.BASELINE_PART_BYTES),
  queueSize: Number(env.BASELINE_QUEUE_SIZE),
}).done();
client.destroy();
