// The benchmark's baseline, run as its own process like the CLI so its peak RSS compares: one plain
// @aws-sdk/lib-storage Upload of a file stream with lib-storage's defaults (parts of 5 MiB, 4 in flight, which are
// also the runner's), on the runner's S3 client settings. Env: BASELINE_FILE, BASELINE_KEY and the runner's S3_*
// variables.
import { createReadStream } from 'node:fs';
import { Upload } from '@aws-sdk/lib-storage';
import { parseConfig } from '../src/config.ts';
import { createS3Client } from '../src/s3-client.ts';

const env = process.env;
const config = parseConfig('backup', { ...env, BACKUP_NAMESPACE: 'baseline', BACKUP_MODULE: 'baseline' });
const client = createS3Client(config.s3);
await new Upload({
  client,
  params: {
    Bucket: config.s3.bucket,
    Key: env.BASELINE_KEY ?? 'baseline.bin',
    Body: createReadStream(env.BASELINE_FILE ?? ''),
  },
}).done();
client.destroy();
