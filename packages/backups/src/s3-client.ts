// The S3 client every backup component uses: static credentials, path-style when asked, and timeouts on every
// call (connect 5 s, request 30 s by default) so that a black-holed endpoint can never stall a controller.
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface S3Location {
  endpoint: string;
  region: string;
  pathStyle: boolean;
  bucket: string;
  /** Key prefix, joined without a separator (upstream layout). */
  prefix: string;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function s3Client(
  location: Pick<S3Location, 'endpoint' | 'region' | 'pathStyle'>,
  credentials: S3Credentials,
  timeouts: { connectMs?: number; requestMs?: number } = {},
): S3Client {
  return new S3Client({
    endpoint: location.endpoint,
    region: location.region,
    forcePathStyle: location.pathStyle,
    credentials,
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: timeouts.connectMs ?? 5_000,
      // Per request until the response headers arrive, and per idle socket after (a stalled download).
      requestTimeout: timeouts.requestMs ?? 30_000,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestMs ?? 30_000,
    }),
    // Archives carry their own SHA-256. The SDK's default extra CRC32 per request costs CPU on the hot path and
    // is rejected by several S3-compatible servers the upstream s3cmd image worked with.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
