import { describe, expect, it } from 'vitest';
import { backupDueTime } from '../src/schedule/due-time.ts';

const HOUR = 3600;

describe('backupDueTime', () => {
  it('is the first run after the latest success, plus the run time', () => {
    expect(backupDueTime({ schedule: '30 3 * * *', suspend: false }, '2026-11-23T03:31:00Z', HOUR)).toBe(
      '2026-11-24T04:30:00Z',
    );
  });

  it('follows the schedule: a weekly one is due a week later, not a day', () => {
    expect(backupDueTime({ schedule: '@weekly', suspend: false }, '2026-11-22T00:05:00Z', HOUR)).toBe(
      '2026-11-29T01:00:00Z',
    );
    expect(backupDueTime({ schedule: '0 0 1 * *', suspend: false }, '2026-11-01T00:10:00Z', 0)).toBe(
      '2026-12-01T00:00:00Z',
    );
  });

  it('reads the schedule in its time zone', () => {
    // 02:00 in Berlin is 01:00 UTC in winter.
    expect(
      backupDueTime(
        { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', suspend: false },
        '2026-11-23T12:00:00Z',
        0,
      ),
    ).toBe('2026-11-24T01:00:00Z');
  });

  it('says nothing while suspended, before anything to count from, or for an expression cron refuses', () => {
    expect(
      backupDueTime({ schedule: '30 3 * * *', suspend: true }, '2026-11-23T03:31:00Z', HOUR),
    ).toBeUndefined();
    expect(backupDueTime({ schedule: '30 3 * * *', suspend: false }, undefined, HOUR)).toBeUndefined();
    expect(
      backupDueTime({ schedule: 'not a schedule', suspend: false }, '2026-11-23T03:31:00Z', HOUR),
    ).toBeUndefined();
  });
});
