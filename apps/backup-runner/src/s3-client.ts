// The S3 client both commands use, configured from the environment contract.
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { S3Settings } from './config.ts';

/** A connection that cannot be opened in 5 s is a wrong endpoint or a network problem, not slowness. */
const CONNECTION_TIMEOUT_MS = 5_000;
/**
 * Per request until the response headers arrive, and per idle socket after (a stalled download). Parts are at
 * most a few tens of MiB, so 30 s only trips on a server that stopped answering.
 */
const REQUEST_TIMEOUT_MS = 30_000;

export function createS3Client(s3: S3Settings): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.pathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      socketTimeout: REQUEST_TIMEOUT_MS,
    }),
    // The archive carries its own SHA-256. The SDK's default extra CRC32 per request costs CPU on the hot path
    // and is rejected by several S3-compatible servers the upstream s3cmd image worked with.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
