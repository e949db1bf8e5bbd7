import { describe, expect, it } from 'vitest';
import { parseRunnerResult } from '../src/runner-env.ts';
import { terminationMessage } from '../src/pods.ts';
import { cronJobName } from '../src/schedule/cronjob.ts';
import { restoreJobName } from '../src/restore/job.ts';

describe('the runner result', () => {
  it('is the last line of the termination message, when it is the runner JSON', () => {
    expect(parseRunnerResult('log line\n{"ok":true,"action":"backup","backupId":"b-1","bytes":3}\n')).toEqual(
      {
        ok: true,
        action: 'backup',
        backupId: 'b-1',
      },
    );
    expect(parseRunnerResult('{"ok":false,"error":"corrupt archive"}')).toEqual({
      ok: false,
      error: 'corrupt archive',
    });
    for (const junk of [undefined, '', 'Error: boom', '{"backupId":"x"}', '[1]', 'null'])
      expect(parseRunnerResult(junk)).toBeUndefined();
  });

  it('comes from the newest pod of the Job', () => {
    const pod = (name: string, created: string, message: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, creationTimestamp: created, labels: { 'batch.kubernetes.io/job-name': 'j' } },
      status: { containerStatuses: [{ state: { terminated: { message } } }] },
    });
    const pods = [pod('a', '2026-01-01T00:00:00Z', 'first'), pod('b', '2026-01-01T00:01:00Z', 'second')];
    expect(terminationMessage(pods, 'j')).toBe('second');
    expect(terminationMessage(pods, 'other')).toBeUndefined();
  });
});

describe('names', () => {
  it('keep the upstream names and stay within the CronJob limit', () => {
    expect(cronJobName('nightly', 'seen')).toBe('nightly-seen-backup');
    const long = cronJobName('a-very-long-schedule-name', 'a-module-with-a-long-name-too');
    expect(long.length).toBeLessThanOrEqual(52);
    expect(long).not.toBe(cronJobName('a-very-long-schedule-name', 'a-module-with-a-long-name-tooo'));
    expect(restoreJobName('r', 0)).toBe('r-restore');
    expect(restoreJobName('r', 2)).toBe('r-restore-2');
  });
});
