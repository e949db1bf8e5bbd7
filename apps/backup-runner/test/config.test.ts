import { describe, expect, it } from 'vitest';
import { ConfigError, parseAction, parseConfig, resultFilePath } from '../src/config.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const s3 = {
  S3_ENDPOINT: 'https://s3.example.com',
  S3_BUCKET: 'bots',
  S3_ACCESS_ID: 'AKIAEXAMPLE',
  S3_SECRET_KEY: SECRET,
};
const backupEnv = { ...s3, BACKUP_NAMESPACE: 'chat', BACKUP_MODULE: 'echo' };
const restoreEnv = { ...s3, RESTORE_NAMESPACE: 'chat', RESTORE_MODULE: 'echo' };

function configError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the upstream defaults', () => {
    const config = parseConfig('backup', backupEnv);
    expect(config).toEqual({
      action: 'backup',
      s3: {
        endpoint: 'https://s3.example.com',
        bucket: 'bots',
        prefix: '',
        pathStyle: false,
        signatureV2: false,
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: SECRET,
        region: 'us-east-1',
      },
      location: { prefix: '', namespace: 'chat', module: 'echo' },
      volumePath: '/data',
      retention: { keepLast: undefined, maxAgeDays: undefined },
      gzipLevel: 1,
    });
  });

  it('reads every variable of the backup contract', () => {
    const config = parseConfig('backup', {
      ...backupEnv,
      S3_PREFIX: 'eevee/',
      S3_PATH_STYLE: 'true',
      S3_SIGNATURE_V2: 'TRUE',
      S3_REGION: 'eu-central-1',
      BACKUP_PVC_PATH: '/mnt/vol',
      RETENTION_KEEP_LAST: '7',
      RETENTION_MAX_AGE_DAYS: '30',
      BACKUP_GZIP_LEVEL: '3',
    });
    expect(config.action === 'backup' && config).toMatchObject({
      s3: { prefix: 'eevee/', pathStyle: true, signatureV2: true, region: 'eu-central-1' },
      location: { prefix: 'eevee/' },
      volumePath: '/mnt/vol',
      retention: { keepLast: 7, maxAgeDays: 30 },
      gzipLevel: 3,
    });
  });

  it('treats empty variables as unset', () => {
    const config = parseConfig('backup', {
      ...backupEnv,
      S3_PREFIX: '',
      S3_REGION: '',
      RETENTION_KEEP_LAST: '',
    });
    expect(config.s3.region).toBe('us-east-1');
    expect(config.action === 'backup' && config.retention.keepLast).toBeUndefined();
  });

  it('restores the newest backup when the id is unset, empty or "latest"', () => {
    for (const id of [undefined, '', 'latest', 'LATEST']) {
      const config = parseConfig('restore', { ...restoreEnv, RESTORE_BACKUP_ID: id });
      expect(config.action === 'restore' && config.backupId).toBeUndefined();
    }
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const config = parseConfig('restore', { ...restoreEnv, RESTORE_BACKUP_ID: id, RESTORE_CLEAN: 'true' });
    expect(config).toMatchObject({ action: 'restore', backupId: id, clean: true, volumePath: '/data' });
  });

  it('names every missing variable', () => {
    const message = configError(() => parseConfig('backup', { S3_ENDPOINT: 'http://minio:9000' }));
    for (const name of ['S3_BUCKET', 'S3_ACCESS_ID', 'S3_SECRET_KEY', 'BACKUP_NAMESPACE', 'BACKUP_MODULE']) {
      expect(message).toContain(`${name} is required`);
    }
    expect(message).not.toContain('S3_ENDPOINT');
  });

  it('names invalid values without echoing them', () => {
    const message = configError(() =>
      parseConfig('backup', {
        ...backupEnv,
        S3_ENDPOINT: 'minio:9000',
        S3_PATH_STYLE: 'yes please',
        RETENTION_KEEP_LAST: '0',
        RETENTION_MAX_AGE_DAYS: '1.5',
        BACKUP_MODULE: 'a/b',
        BACKUP_PVC_PATH: 'data',
      }),
    );
    expect(message).toContain('S3_ENDPOINT must be an http:// or https:// URL');
    expect(message).toContain('S3_PATH_STYLE must be "true" or "false"');
    expect(message).toContain('RETENTION_KEEP_LAST must be a whole number >= 1');
    expect(message).toContain('RETENTION_MAX_AGE_DAYS must be a whole number >= 1');
    expect(message).toContain('BACKUP_MODULE must not contain "/"');
    expect(message).toContain('BACKUP_PVC_PATH must be an absolute path');
    expect(message).not.toContain('yes please');
  });

  it('never puts the secret key in a message', () => {
    const messages = [
      configError(() => parseConfig('backup', { ...s3, S3_ENDPOINT: SECRET })),
      configError(() => parseConfig('restore', { ...restoreEnv, RESTORE_BACKUP_ID: SECRET })),
      configError(() => parseConfig('backup', { ...s3, S3_SECRET_KEY: SECRET })),
    ];
    for (const message of messages) expect(message).not.toContain(SECRET);
  });

  it('rejects a restore id that is neither a UUID nor "latest"', () => {
    expect(
      configError(() => parseConfig('restore', { ...restoreEnv, RESTORE_BACKUP_ID: 'yesterday' })),
    ).toContain('RESTORE_BACKUP_ID must be a backup UUID or "latest"');
  });
});

describe('parseAction', () => {
  it('accepts backup and restore only', () => {
    expect(parseAction('backup')).toBe('backup');
    expect(parseAction('restore')).toBe('restore');
    expect(() => parseAction('list')).toThrow(/usage: backup-runner backup\|restore/);
    expect(() => parseAction(undefined)).toThrow(ConfigError);
  });
});

describe('resultFilePath', () => {
  it('defaults to the Kubernetes termination log', () => {
    expect(resultFilePath({})).toBe('/dev/termination-log');
    expect(resultFilePath({ RESULT_FILE: '' })).toBe('/dev/termination-log');
    expect(resultFilePath({ RESULT_FILE: '/tmp/r.json' })).toBe('/tmp/r.json');
  });
});
