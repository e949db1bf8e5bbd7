// Runs one S3 interaction and, on failure, throws one line: what was being done and why S3 said no.
import type { S3Settings } from './config.ts';
import { describeS3Error } from '@eevee/backups';
import { Interrupted } from './interruption.ts';
import { VolumeReadError } from './volume-errors.ts';

export async function s3Step<T>(what: string, s3: S3Settings, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    // The upload consumes the volume's stream, so its read errors surface here; they are not S3's.
    if (err instanceof VolumeReadError || err instanceof Interrupted) throw err;
    throw new Error(`${what}: ${describeS3Error(err, s3.endpoint, s3.bucket)}`, { cause: err });
  }
}
