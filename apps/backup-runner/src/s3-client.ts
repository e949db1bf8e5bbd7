// The S3 client both commands use: the shared one (timeouts on every call), configured from the environment.
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '@eevee/backups';
import type { S3Settings } from './config.ts';

export function createS3Client(s3: S3Settings): S3Client {
  return s3Client(s3, { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
}
