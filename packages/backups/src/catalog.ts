// The backups of one module in a bucket, newest first ("latest" = newest LastModified, as upstream).
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { backupIdOf, moduleBackupPrefix } from './layout.ts';

export interface BackupObject {
  id: string;
  key: string;
  lastModified: Date;
  size: number;
}

export async function listBackups(
  client: S3Client,
  bucket: string,
  prefix: string,
  namespace: string,
  module: string,
  options: { pageSize?: number } = {},
): Promise<BackupObject[]> {
  const modulePrefix = moduleBackupPrefix(prefix, namespace, module);
  const backups: BackupObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: modulePrefix,
        ContinuationToken: token,
        MaxKeys: options.pageSize,
      }),
    );
    for (const object of page.Contents ?? []) {
      const id = object.Key ? backupIdOf(object.Key, modulePrefix) : undefined;
      if (id && object.LastModified)
        backups.push({ id, key: object.Key!, lastModified: object.LastModified, size: object.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return backups.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
}
