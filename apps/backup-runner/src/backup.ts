// `backup`: the volume as tar+gzip, streamed into S3 under a new id, its checksum recorded, then retention.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { applyRetention } from './apply-retention.ts';
import type { BackupConfig } from './config.ts';
import { digested, StreamDigest } from './digest.ts';
import { gzipMembers } from './gzip-members.ts';
import { backupKey, newBackupId } from '@eevee/backups';
import { log } from './log.ts';
import { DEFAULT_PART_LIMIT, uploadPartSize, UPLOAD_QUEUE_SIZE } from './part-size.ts';
import { recordMetadata, SHA256_METADATA, SIZE_METADATA } from './record-metadata.ts';
import type { BackupResult } from './result.ts';
import { s3Step } from './s3-step.ts';
import { signatureWarnings } from './signature.ts';
import { symlinkLeavesVolume } from './symlinks.ts';
import { ARCHIVE_CONTENT_TYPE, uploadArchive } from './upload.ts';
import { untilInterrupted } from './interruption.ts';
import { estimateArchiveBound } from './volume-size.ts';
import { readingVolume } from './volume-errors.ts';
import { tarVolume } from './volume-tar.ts';
import { openVolume } from './volume.ts';
import { Warnings } from './warnings.ts';

export interface BackupTuning {
  /** Overrides of the metadata copy thresholds, for tests of the multipart copy. */
  singleCopyLimit?: number;
  copyPartBytes?: number;
}

/** `signal` (see interruption.ts) stops the backup: the upload is aborted, or the uploaded object deleted. */
export async function runBackup(
  config: BackupConfig,
  client: S3Client,
  tuning: BackupTuning = {},
  signal?: AbortSignal,
): Promise<BackupResult> {
  const started = performance.now();
  const { s3 } = config;
  const warnings = new Warnings();
  signatureWarnings(s3).forEach((w) => warnings.add(w));
  const root = await openVolume(config.volumePath);
  const backupId = newBackupId();
  const key = backupKey(config.location, backupId);
  const where = `s3://${s3.bucket}/${key}`;

  const partSize = uploadPartSize(await estimateArchiveBound(root, DEFAULT_PART_LIMIT));
  log(
    `backing up ${root} to ${where} (parts of ${partSize / 1024 / 1024} MiB, gzip level ${config.gzipLevel})`,
  );
  const digest = new StreamDigest();
  const tar = tarVolume(root, warnings, {
    checkSymlink: (path, target) =>
      symlinkLeavesVolume(path, target)
        ? `${path}: symlink to ${target} points outside the volume; this runner's restore refuses such archives`
        : undefined,
  });
  const volume = untilInterrupted(readingVolume(root, tar), signal);
  const body = digested(gzipMembers(volume, { level: config.gzipLevel }), digest);
  const { etag } = await s3Step(`uploading ${where}`, s3, () =>
    uploadArchive(client, { bucket: s3.bucket, key, partSize, queueSize: UPLOAD_QUEUE_SIZE }, body),
  );
  log(`uploaded ${digest.bytes} bytes, sha256 ${digest.sha256}`);

  try {
    signal?.throwIfAborted();
    await s3Step(`recording the checksum on ${where}`, s3, () =>
      recordMetadata(client, {
        bucket: s3.bucket,
        key,
        size: digest.bytes,
        etag,
        contentType: ARCHIVE_CONTENT_TYPE,
        metadata: { [SHA256_METADATA]: digest.sha256, [SIZE_METADATA]: String(digest.bytes) },
        ...tuning,
      }),
    );
  } catch (err) {
    // A failed or interrupted backup leaves nothing behind: "latest" would pick an archive reported as failed.
    await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key })).catch(() => undefined);
    throw err;
  }

  const deleted = await applyRetention(client, s3, config.location, config.retention, key, warnings);
  if (deleted.length > 0) log(`retention deleted ${deleted.length} old backup(s)`);
  return {
    ok: true,
    action: 'backup',
    backupId,
    key,
    bytes: digest.bytes,
    sha256: digest.sha256,
    durationMs: Math.round(performance.now() - started),
    deleted,
    warnings: warnings.list(),
  };
}
