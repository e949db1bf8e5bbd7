import { describe, expect, it } from 'vitest';
import { backupIdOf, backupKey, moduleBackupPrefix } from '../src/index.ts';

describe('the upstream key layout', () => {
  it('concatenates the prefix without a separator', () => {
    expect(backupKey('backups', 'eevee-bot', 'seen', '0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(
      'backupseevee-bot/seen/0f8fad5b-d9cb-469f-a165-70867728950e.tar.gz',
    );
    expect(moduleBackupPrefix('', 'ns', 'm')).toBe('ns/m/');
  });

  it('recognises only <uuid>.tar.gz directly under the module', () => {
    const prefix = moduleBackupPrefix('p/', 'ns', 'm');
    expect(backupIdOf('p/ns/m/0f8fad5b-d9cb-469f-a165-70867728950e.tar.gz', prefix)).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(backupIdOf('p/ns/m/latest.tar.gz', prefix)).toBeUndefined();
    expect(backupIdOf('p/ns/m/0f8fad5b-d9cb-469f-a165-70867728950e.tar', prefix)).toBeUndefined();
    expect(backupIdOf('p/ns/mx/0f8fad5b-d9cb-469f-a165-70867728950e.tar.gz', prefix)).toBeUndefined();
  });
});
