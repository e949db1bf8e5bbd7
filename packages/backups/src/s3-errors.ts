// Turns S3 and network failures into one line an operator can act on (the SDK's own messages are often empty or
// an XML code). Never includes credentials: only the error code and what was being done.
const messageOf = (err: unknown): string => (err instanceof Error ? err.message || err.name : String(err));

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'InvalidSecurity',
  'AuthorizationHeaderMalformed',
  'XAdminUserNotFound', // versitygw: "No user exists with the provided access key ID"
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function field(err: unknown, key: keyof SdkErrorShape): unknown {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape)[key] : undefined;
}

export function s3ErrorCode(err: unknown): string | undefined {
  const name = field(err, 'name');
  const code = field(err, 'code');
  if (typeof code === 'string' && code !== '') return code;
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  return undefined;
}

/** A message for an error from an S3 call to `endpoint` (bucket named for NoSuchBucket). */
export function describeS3Error(err: unknown, endpoint: string, bucket: string): string {
  const code = s3ErrorCode(err);
  const metadata = field(err, '$metadata') as SdkErrorShape['$metadata'] | undefined;
  if (code !== undefined && CREDENTIAL_CODES.has(code)) return `S3 refused the credentials (${code})`;
  if (code === 'AccessDenied' || code === 'Forbidden') {
    return `S3 denied access (${code}): check the credentials' permissions on bucket "${bucket}"`;
  }
  if (code === 'NoSuchBucket') return `bucket "${bucket}" does not exist at ${endpoint}`;
  if (code === 'TimeoutError') return `S3 at ${endpoint} did not answer in time (${messageOf(err)})`;
  if (code !== undefined && NETWORK_CODES.has(code)) return `cannot reach S3 at ${endpoint} (${code})`;
  const httpStatus = metadata?.httpStatusCode;
  // A HEAD request's error has no body, hence no code: only its status says what happened.
  if (httpStatus === 403 && (code === undefined || code === 'Unknown'))
    return `S3 refused the request (HTTP 403): wrong credentials, or no permission on bucket "${bucket}"`;
  if (httpStatus === 404 && (code === undefined || code === 'Unknown' || code === 'NotFound'))
    return `S3 at ${endpoint} answered 404: bucket "${bucket}" (or the object asked for) does not exist`;
  const message = messageOf(err);
  const suffix = typeof httpStatus === 'number' ? `, HTTP ${httpStatus}` : '';
  if (code !== undefined && (message === code || message === 'UnknownError' || message === '')) {
    return `S3 error ${code}${suffix}`;
  }
  return code !== undefined ? `${message} (${code}${suffix})` : message;
}
