// The backups of one module as S3 lists them, and which of them is the newest.
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { backupIdOfKey, backupIdTime, moduleKeyPrefix } from './keys.ts';
import type { ModuleLocation } from './keys.ts';

export interface StoredBackup {
  id: string;
  key: string;
  lastModified: Date;
  size: number;
}

/**
 * Newest first. LastModified decides; on a tie (same second) the time inside version-7 ids does, then the key,
 * so the order is total and every caller agrees on "the newest".
 */
export function compareNewestFirst(a: StoredBackup, b: StoredBackup): number {
  const byModified = b.lastModified.getTime() - a.lastModified.getTime();
  if (byModified !== 0) return byModified;
  const byIdTime = (backupIdTime(b.id) ?? 0) - (backupIdTime(a.id) ?? 0);
  if (byIdTime !== 0) return byIdTime;
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

/** Every backup of the module (all pages), newest first; keys that are not `<uuid>.tar.gz` are ignored. */
export async function listBackups(
  client: S3Client,
  bucket: string,
  location: ModuleLocation,
  options: { pageSize?: number } = {},
): Promise<StoredBackup[]> {
  const backups: StoredBackup[] = [];
  const pages = paginateListObjectsV2(
    { client, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    { Bucket: bucket, Prefix: moduleKeyPrefix(location) },
  );
  for await (const page of pages) {
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      const id = backupIdOfKey(location, object.Key);
      if (id === undefined) continue;
      backups.push({
        id,
        key: object.Key,
        lastModified: object.LastModified ?? new Date(0),
        size: object.Size ?? 0,
      });
    }
  }
  return backups.sort(compareNewestFirst);
}
