import { describe, expect, it } from 'vitest';
import { backupIdOfKey, backupIdTime, backupKey, isUuid, moduleKeyPrefix, newBackupId } from '../src/keys.ts';

const location = { prefix: 'backups/', namespace: 'chat', module: 'echo' };
const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('key layout', () => {
  it('is <prefix><namespace>/<module>/<uuid>.tar.gz, the prefix concatenated as is', () => {
    expect(backupKey(location, id)).toBe(`backups/chat/echo/${id}.tar.gz`);
    expect(backupKey({ ...location, prefix: 'eevee-' }, id)).toBe(`eevee-chat/echo/${id}.tar.gz`);
    expect(backupKey({ ...location, prefix: '' }, id)).toBe(`chat/echo/${id}.tar.gz`);
    expect(moduleKeyPrefix(location)).toBe('backups/chat/echo/');
  });

  it('parses the id back out of a key of this module', () => {
    expect(backupIdOfKey(location, backupKey(location, id))).toBe(id);
    expect(backupIdOfKey(location, `backups/chat/echo/${id.toUpperCase()}.tar.gz`)).toBe(id.toUpperCase());
  });

  it('ignores keys that are not this module’s backups', () => {
    for (const key of [
      `backups/chat/echo2/${id}.tar.gz`, // another module sharing the name prefix
      `backups/chat/echo/nested/${id}.tar.gz`,
      `backups/chat/echo/${id}.tar`,
      `backups/chat/echo/${id}.tar.gz.partial`,
      'backups/chat/echo/notes.tar.gz',
      `other/chat/echo/${id}.tar.gz`,
      `backups/chat/echo/${id.slice(1)}.tar.gz`,
    ]) {
      expect(backupIdOfKey(location, key), key).toBeUndefined();
    }
  });
});

describe('backup ids', () => {
  it('are version-7 UUIDs that carry their creation time', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const generated = newBackupId(t);
    expect(isUuid(generated)).toBe(true);
    expect(generated[14]).toBe('7');
    expect('89ab').toContain(generated[19]);
    expect(backupIdTime(generated)).toBe(t);
  });

  it('sort by time as strings', () => {
    const a = newBackupId(1_700_000_000_000);
    const b = newBackupId(1_700_000_000_001);
    expect(a < b).toBe(true);
  });

  it('have no time when they are random (upstream) UUIDs', () => {
    expect(backupIdTime(id)).toBeUndefined();
  });
});
