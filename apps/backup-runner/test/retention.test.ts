import { describe, expect, it } from 'vitest';
import type { StoredBackup } from '@eevee/backups';
import { backupsToDelete } from '../src/retention.ts';

const now = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

/** Backups b0 (newest, `ageDays[0]` days old) to bN (oldest). */
function backups(...ageDays: number[]): StoredBackup[] {
  return ageDays.map((age, i) => ({
    id: `id-${i}`,
    key: `p/ns/m/b${i}.tar.gz`,
    lastModified: new Date(now.getTime() - age * DAY),
    size: 1,
  }));
}
const keys = (list: StoredBackup[]) => list.map((b) => b.key);

describe('backupsToDelete', () => {
  it('deletes nothing without a policy', () => {
    expect(backupsToDelete(backups(0, 10, 100), {}, 'p/ns/m/b0.tar.gz', now)).toEqual([]);
  });

  it('keepLast alone keeps exactly the newest N, deleting oldest first', () => {
    const all = backups(0, 1, 2, 3, 4);
    expect(keys(backupsToDelete(all, { keepLast: 2 }, 'p/ns/m/b0.tar.gz', now))).toEqual([
      'p/ns/m/b4.tar.gz',
      'p/ns/m/b3.tar.gz',
      'p/ns/m/b2.tar.gz',
    ]);
  });

  it('orders by LastModified, not by the order S3 listed them in', () => {
    const all = backups(3, 0, 2, 1).reverse();
    expect(keys(backupsToDelete(all, { keepLast: 1 }, 'p/ns/m/b1.tar.gz', now))).toEqual([
      'p/ns/m/b0.tar.gz',
      'p/ns/m/b2.tar.gz',
      'p/ns/m/b3.tar.gz',
    ]);
  });

  it('maxAgeDays alone deletes only what is older than the limit', () => {
    const all = backups(0, 6.9, 7.1, 30);
    expect(keys(backupsToDelete(all, { maxAgeDays: 7 }, 'p/ns/m/b0.tar.gz', now))).toEqual([
      'p/ns/m/b3.tar.gz',
      'p/ns/m/b2.tar.gz',
    ]);
  });

  it('with both, never deletes the newest keepLast however old they are', () => {
    const all = backups(40, 50, 60, 1);
    // Sorted newest first: b3 (1 d), b0 (40 d), b1 (50 d), b2 (60 d); the newest 2 are kept.
    expect(keys(backupsToDelete(all, { keepLast: 2, maxAgeDays: 7 }, 'p/ns/m/b3.tar.gz', now))).toEqual([
      'p/ns/m/b2.tar.gz',
      'p/ns/m/b1.tar.gz',
    ]);
  });

  it('with both, keeps backups beyond keepLast that are still young', () => {
    const all = backups(0, 1, 2, 10);
    expect(keys(backupsToDelete(all, { keepLast: 1, maxAgeDays: 7 }, 'p/ns/m/b0.tar.gz', now))).toEqual([
      'p/ns/m/b3.tar.gz',
    ]);
  });

  it('never deletes the backup just written, even if the server clock makes it look old', () => {
    const all = backups(0, 1, 100);
    expect(keys(backupsToDelete(all, { keepLast: 1 }, 'p/ns/m/b2.tar.gz', now))).toEqual([
      'p/ns/m/b1.tar.gz',
    ]);
    expect(keys(backupsToDelete(all, { maxAgeDays: 7 }, 'p/ns/m/b2.tar.gz', now))).toEqual([]);
  });

  it('breaks LastModified ties by the time inside version-7 ids', () => {
    const same = new Date(now.getTime() - DAY);
    const older = { id: '01900000-0000-7000-8000-000000000000', key: 'k-old', lastModified: same, size: 1 };
    const newer = { id: '01900000-0001-7000-8000-000000000000', key: 'k-new', lastModified: same, size: 1 };
    expect(keys(backupsToDelete([newer, older], { keepLast: 1 }, 'k-x', now))).toEqual(['k-old']);
    expect(keys(backupsToDelete([older, newer], { keepLast: 1 }, 'k-x', now))).toEqual(['k-old']);
  });
});
