import { describe, expect, it } from 'vitest';
import { fitResult, TERMINATION_MESSAGE_LIMIT } from '../src/result.ts';
import type { BackupResult, FailureResult, RestoreResult } from '../src/result.ts';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

const backup: BackupResult = {
  ok: true,
  action: 'backup',
  backupId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  key: 'p/ns/m/0f8fad5b-d9cb-469f-a165-70867728950e.tar.gz',
  bytes: 123,
  sha256: 'a'.repeat(64),
  durationMs: 5,
  deleted: [],
  warnings: [],
};

describe('fitResult', () => {
  it('leaves a result that fits alone', () => {
    expect(fitResult(backup)).toBe(backup);
  });

  it('cuts a long error message so the JSON fits in 4096 bytes', () => {
    const failure: FailureResult = { ok: false, action: 'restore', error: `boom ${'x'.repeat(10_000)}` };
    const fitted = fitResult(failure) as FailureResult;
    expect(bytes(fitted)).toBeLessThanOrEqual(TERMINATION_MESSAGE_LIMIT);
    expect(bytes(fitted)).toBeGreaterThan(TERMINATION_MESSAGE_LIMIT - 10);
    expect(fitted.error.startsWith('boom xxx')).toBe(true);
    expect(fitted.error.endsWith('…')).toBe(true);
    expect(fitted.action).toBe('restore');
  });

  it('counts bytes, not characters: multi-byte text and JSON escapes', () => {
    const failure: FailureResult = { ok: false, action: 'backup', error: 'é"\n'.repeat(3000) };
    const fitted = fitResult(failure);
    expect(bytes(fitted)).toBeLessThanOrEqual(TERMINATION_MESSAGE_LIMIT);
    expect(() => JSON.parse(JSON.stringify(fitted)) as unknown).not.toThrow();
  });

  it('shortens the warning and deleted lists, keeping a count', () => {
    const big: BackupResult = {
      ...backup,
      warnings: Array.from(
        { length: 200 },
        (_, i) => `./file-${i}: disappeared during the backup; not archived`,
      ),
      deleted: Array.from(
        { length: 100 },
        (_, i) => `p/ns/m/${i}-0f8fad5b-d9cb-469f-a165-70867728950e.tar.gz`,
      ),
    };
    const fitted = fitResult(big) as BackupResult;
    expect(bytes(fitted)).toBeLessThanOrEqual(TERMINATION_MESSAGE_LIMIT);
    expect(fitted.backupId).toBe(backup.backupId);
    expect(fitted.key).toBe(backup.key);
    expect(fitted.sha256).toBe(backup.sha256);
    expect(fitted.warnings.at(-1)).toMatch(/^…(and \d+ more|\d+ in all)$/);
    expect(fitted.deleted.at(-1)).toMatch(/^…and \d+ more$/);
  });

  it('shortens a restore result’s warnings', () => {
    const restore: RestoreResult = {
      ok: true,
      action: 'restore',
      backupId: backup.backupId,
      key: backup.key,
      bytes: 1,
      sha256: backup.sha256,
      verified: false,
      clean: false,
      durationMs: 1,
      warnings: Array.from({ length: 100 }, () => 'w'.repeat(500)),
    };
    const fitted = fitResult(restore) as RestoreResult;
    expect(bytes(fitted)).toBeLessThanOrEqual(TERMINATION_MESSAGE_LIMIT);
    expect(fitted.warnings.length).toBeGreaterThan(1);
    expect(fitted.warnings[0]?.length).toBeLessThanOrEqual(300);
  });
});
