import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index.ts';

describe('runtime configuration from the environment', () => {
  it('applies defaults', () => {
    expect(parseConfig({})).toMatchObject({
      LEADER_ELECT: true,
      WATCH_OTHER_NAMESPACES: false,
      METRICS_PORT: 8080,
      HEALTH_PORT: 8081,
      RECONCILE_CONCURRENCY: 2,
      RESYNC_SECONDS: 600,
      LOG_LEVEL: 'info',
    });
  });

  it('parses booleans and numbers', () => {
    expect(
      parseConfig({
        LEADER_ELECT: 'false',
        RECONCILE_CONCURRENCY: '8',
        EEVEE_EVENTS_NATS_URL: 'nats://nats.eevee:4222',
      }),
    ).toMatchObject({
      LEADER_ELECT: false,
      RECONCILE_CONCURRENCY: 8,
      EEVEE_EVENTS_NATS_URL: 'nats://nats.eevee:4222',
    });
  });

  it('names every bad variable in one line', () => {
    let message = '';
    try {
      parseConfig({ RECONCILE_CONCURRENCY: '0', LEADER_ELECT: 'maybe', EEVEE_EVENTS_NATS_URL: 'http://x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^invalid configuration: /);
    expect(message).not.toContain('\n');
    expect(message).toContain('RECONCILE_CONCURRENCY: Too small');
    expect(message).toContain('LEADER_ELECT: Invalid option');
    expect(message).toContain('EEVEE_EVENTS_NATS_URL: must be a nats:// or tls:// URL');
  });

  it('exits with code 2 and one line on stderr when a controller starts with bad configuration', () => {
    const script =
      "import { loadConfigOrExit } from './src/index.ts'; loadConfigOrExit(); console.log('not reached');";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, METRICS_PORT: 'ninety' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^invalid configuration: METRICS_PORT: /),
    ]);
  });
});
