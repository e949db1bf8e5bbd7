import { describe, expect, it } from 'vitest';
import { describeS3Error } from '../src/s3-errors.ts';

const sdkError = (name: string, status = 403, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('describeS3Error', () => {
  it('says plainly that the credentials were refused', () => {
    for (const code of ['InvalidAccessKeyId', 'SignatureDoesNotMatch']) {
      expect(describeS3Error(sdkError(code), 'http://s3', 'b')).toBe(`S3 refused the credentials (${code})`);
    }
  });

  it('names the bucket when it is missing or access is denied', () => {
    expect(describeS3Error(sdkError('NoSuchBucket', 404), 'http://s3', 'bots')).toBe(
      'bucket "bots" does not exist at http://s3',
    );
    expect(describeS3Error(sdkError('AccessDenied'), 'http://s3', 'bots')).toContain('bucket "bots"');
  });

  it('explains network failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeS3Error(refused, 'http://127.0.0.1:1', 'b')).toBe(
      'cannot reach S3 at http://127.0.0.1:1 (ECONNREFUSED)',
    );
  });

  it('keeps unknown errors with their code and status', () => {
    expect(describeS3Error(sdkError('SlowDown', 503, 'UnknownError'), 'http://s3', 'b')).toBe(
      'S3 error SlowDown, HTTP 503',
    );
    expect(describeS3Error(new Error('plain'), 'http://s3', 'b')).toBe('plain');
  });
});
