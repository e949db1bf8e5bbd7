// Object key layout, byte-exact with the upstream image: `<S3_PREFIX><namespace>/<module>/<uuid>.tar.gz`.
// The prefix is concatenated as is (no separator added), so a prefix `backups/` and a prefix `backups-` both work
// the way they did upstream.
import { randomBytes } from 'node:crypto';

export interface ModuleLocation {
  prefix: string;
  namespace: string;
  module: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUFFIX = '.tar.gz';

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The "directory" all backups of one module live under; listing it finds them. */
export function moduleKeyPrefix(location: ModuleLocation): string {
  return `${location.prefix}${location.namespace}/${location.module}/`;
}

export function backupKey(location: ModuleLocation, backupId: string): string {
  return `${moduleKeyPrefix(location)}${backupId}${SUFFIX}`;
}

/**
 * The backup id of `key` if it is a backup of this module (`<module prefix><uuid>.tar.gz`), else undefined.
 * Anything else under the prefix (nested keys, other suffixes, non-UUID names) is not ours to touch.
 */
export function backupIdOfKey(location: ModuleLocation, key: string): string | undefined {
  const dir = moduleKeyPrefix(location);
  if (!key.startsWith(dir) || !key.endsWith(SUFFIX)) return undefined;
  const id = key.slice(dir.length, key.length - SUFFIX.length);
  return isUuid(id) ? id : undefined;
}

/**
 * A new backup id: a UUID version 7 (RFC 9562), i.e. a millisecond timestamp followed by random bits. It is still
 * "a UUID" for the upstream layout, and it orders backups made within the same second, which S3's LastModified
 * (second resolution on many servers) cannot.
 */
export function newBackupId(now: number = Date.now(), random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The creation time embedded in a version-7 id; undefined for other UUIDs (e.g. upstream's random v4 ids). */
export function backupIdTime(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== '7') return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
