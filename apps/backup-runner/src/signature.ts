// S3_SIGNATURE_V2 was an s3cmd switch for old servers. The AWS SDK v3 signs only with Signature V4, which every
// maintained S3 implementation accepts, so the variable is accepted and reported instead of failing the Job.
import type { S3Settings } from './config.ts';

export function signatureWarnings(s3: S3Settings): string[] {
  return s3.signatureV2
    ? [
        'S3_SIGNATURE_V2=true is ignored: requests are signed with Signature V4 (the only one the AWS SDK v3 has)',
      ]
    : [];
}
