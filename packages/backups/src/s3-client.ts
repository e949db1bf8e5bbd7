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
      requestTimeout: timeouts.requestMs ?? 30_000,
    }),
  });
}

/** A readable message for an S3 failure: the service's error code and message, never credentials. */
export function describeS3Error(err: unknown): string {
  const e = err as {
    name?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || status === 403)
    return `S3 refused the credentials or the request (${code}${status ? `, HTTP ${status}` : ''})`;
  if (code === 'NoSuchBucket' || status === 404) return `the bucket does not exist (${code})`;
  if (code === 'TimeoutError' || /timed? ?out/i.test(e.message ?? ''))
    return `S3 did not answer in time (${code})`;
  return `${code}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? 'unknown error'}`;
}
