// `restore`: the named or the newest backup, extracted into a staging directory on the volume, verified, and only
// then swapped in (RESTORE_CLEAN=true) or merged over the live data (false). Any failure before the swap leaves
// the live data untouched.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { mkdir } from 'node:fs/promises';
import { listBackups } from '@eevee/backups';
import type { RestoreConfig } from './config.ts';
import { applyDirectoryAttributes } from './directory-attributes.ts';
import { withContext } from './errors.ts';
import { extractArchive } from './extract.ts';
import { backupKey, moduleKeyPrefix } from '@eevee/backups';
import { untilInterrupted } from './interruption.ts';
import { log } from './log.ts';
import { SHA256_METADATA, SIZE_METADATA } from './record-metadata.ts';
import type { RestoreResult } from './result.ts';
import { s3ErrorCode } from '@eevee/backups';
import { s3Step } from './s3-step.ts';
import { signatureWarnings } from './signature.ts';
import { mergeInto, swapClean } from './swap.ts';
import { openVolume } from './volume.ts';
import { removeStaleWorkDirs, removeTree, stagingDir, trashDir } from './work-dirs.ts';
import { Warnings } from './warnings.ts';

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

async function chooseBackup(config: RestoreConfig, client: S3Client): Promise<{ id: string; key: string }> {
  const { s3, location } = config;
  if (config.backupId !== undefined)
    return { id: config.backupId, key: backupKey(location, config.backupId) };
  const backups = await s3Step(
    `listing the backups in s3://${s3.bucket}/${moduleKeyPrefix(location)}`,
    s3,
    () => listBackups(client, s3.bucket, location),
  );
  const newest = backups[0];
  if (newest === undefined) {
    throw new Error(
      `no backups found for module "${location.module}" in ${s3.bucket}/${moduleKeyPrefix(location)}`,
    );
  }
  return newest;
}

async function download(client: S3Client, config: RestoreConfig, id: string, key: string, where: string) {
  const { s3 } = config;
  const object = await s3Step(`downloading ${where}`, s3, async () => {
    try {
      return await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    } catch (err) {
      if (s3ErrorCode(err) === 'NoSuchKey') throw new Error(`backup ${id} does not exist`, { cause: err });
      throw err;
    }
  });
  const body = object.Body;
  if (!isByteStream(body)) throw new Error(`downloading ${where}: the S3 client returned no byte stream`);
  return {
    body,
    length: object.ContentLength,
    sha256: object.Metadata?.[SHA256_METADATA],
    size: object.Metadata?.[SIZE_METADATA],
  };
}

/** Throws unless the archive is complete and matches what the backup recorded (when it recorded anything). */
function verify(
  where: string,
  received: { bytes: number; sha256: string },
  expected: { length?: number | undefined; size?: string | undefined; sha256?: string | undefined },
): void {
  if (expected.length !== undefined && received.bytes !== expected.length) {
    throw new Error(`${where}: received ${received.bytes} of ${expected.length} bytes`);
  }
  if (expected.size !== undefined && String(received.bytes) !== expected.size) {
    throw new Error(`${where}: size ${received.bytes} does not match the recorded ${expected.size}`);
  }
  if (expected.sha256 !== undefined && received.sha256 !== expected.sha256) {
    throw new Error(`${where}: checksum mismatch (sha256 ${received.sha256}, recorded ${expected.sha256})`);
  }
}

/** `signal` (see interruption.ts) stops the restore before the swap; the staging directory is removed. */
export async function runRestore(
  config: RestoreConfig,
  client: S3Client,
  signal?: AbortSignal,
): Promise<RestoreResult> {
  const started = performance.now();
  const { s3 } = config;
  const warnings = new Warnings();
  signatureWarnings(s3).forEach((w) => warnings.add(w));
  const root = await openVolume(config.volumePath);
  const { id, key } = await chooseBackup(config, client);
  const where = `s3://${s3.bucket}/${key}`;
  const staging = stagingDir(root, id);
  const trash = trashDir(root, id);

  await withContext(`preparing ${staging}`, async () => {
    for (const name of await removeStaleWorkDirs(root))
      warnings.add(`removed ${name} left by an interrupted restore`);
    await mkdir(staging, { mode: 0o700 });
  });
  try {
    const archive = await download(client, config, id, key, where);
    log(`restoring ${where} into ${root} (${config.clean ? 'clean' : 'merge'}), staging in ${staging}`);
    const extracted = await s3Step(`extracting ${where}`, s3, () =>
      extractArchive(untilInterrupted(archive.body, signal), staging),
    );
    verify(where, extracted, archive);
    if (archive.sha256 === undefined) {
      warnings.add(
        'no checksum recorded (archive from the upstream image): relied on gzip and tar integrity',
      );
    }

    // The only step that touches the live data, and only once the archive proved good. Once started it runs to
    // its end (a burst of renames): stopping halfway would leave the volume half old, half new.
    signal?.throwIfAborted();
    await withContext(`moving the restored data into ${root}`, () =>
      config.clean ? swapClean(root, staging, trash) : mergeInto(staging, root, trash),
    );
    // From here on the data is in place: what remains is tidying up, reported but not fatal.
    const attributeFailures = await applyDirectoryAttributes(root, extracted.directories);
    if (attributeFailures.length > 0) {
      warnings.add(
        `could not set the mode or mtime of ${attributeFailures.length} directories: ${attributeFailures.slice(0, 5).join(', ')}`,
      );
    }
    await removeTree(trash).catch((err: Error) =>
      warnings.add(`could not remove ${trash} (${err.message}); backups skip it, remove it by hand`),
    );
    log(
      `restored ${extracted.bytes} bytes (${archive.sha256 === undefined ? 'unverified' : 'sha256 verified'})`,
    );
    return {
      ok: true,
      action: 'restore',
      backupId: id,
      key,
      bytes: extracted.bytes,
      sha256: extracted.sha256,
      verified: archive.sha256 !== undefined,
      clean: config.clean,
      durationMs: Math.round(performance.now() - started),
      warnings: warnings.list(),
    };
  } finally {
    // Never masks the outcome: a leftover staging dir is skipped by backups and removed by the next restore.
    await removeTree(staging).catch((err: Error) => log(`could not remove ${staging}: ${err.message}`));
  }
}
