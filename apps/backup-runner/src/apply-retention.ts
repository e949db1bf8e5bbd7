// Retention after a successful backup: list, decide (pure, in retention.ts), delete. A failure here does not
// undo the backup that was just written; it becomes a warning in the result.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { listBackups } from '@eevee/backups';
import type { S3Settings } from './config.ts';
import { describeS3Error } from '@eevee/backups';
import type { ModuleLocation } from '@eevee/backups';
import { backupsToDelete, hasRetention } from './retention.ts';
import type { RetentionPolicy } from './retention.ts';
import type { Warnings } from './warnings.ts';

export async function applyRetention(
  client: S3Client,
  s3: S3Settings,
  location: ModuleLocation,
  policy: RetentionPolicy,
  justWrittenKey: string,
  warnings: Warnings,
): Promise<string[]> {
  if (!hasRetention(policy)) return [];
  let doomed;
  try {
    const backups = await listBackups(client, s3.bucket, location);
    doomed = backupsToDelete(backups, policy, justWrittenKey, new Date());
  } catch (err) {
    warnings.add(
      `retention skipped: listing the backups failed: ${describeS3Error(err, s3.endpoint, s3.bucket)}`,
    );
    return [];
  }
  const deleted: string[] = [];
  for (const backup of doomed) {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: backup.key }));
      deleted.push(backup.key);
    } catch (err) {
      warnings.add(
        `retention: could not delete ${backup.key}: ${describeS3Error(err, s3.endpoint, s3.bucket)}`,
      );
    }
  }
  return deleted;
}
