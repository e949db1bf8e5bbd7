// S3Store: an S3-compatible bucket for module backups, with credentials from Secrets.
import { z } from 'zod';
import { conditions, observedGeneration, secretKeySource } from './common.ts';
import { doc, withRules } from './schema-kit.ts';

export const s3StoreSpecSchema = z.object({
  endpoint: doc(
    z.string().max(2048).regex(/^https?:\/\/[^\s/]+(\/\S*)?$/),
    'S3 endpoint URL, e.g. https://s3.amazonaws.com or http://minio.storage:9000; the scheme decides TLS.',
  ),
  bucket: doc(z.string().min(3).max(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/), 'Bucket the backups go to.'),
  prefix: doc(
    withRules(z.string().max(512), [
      { rule: "self == '' || self.endsWith('/')", message: "prefix must be empty or end with '/'", check: (p) => p === '' || p.endsWith('/') },
    ]),
    "Key prefix, joined without a separator: objects are <prefix><namespace>/<moduleName>/<uuid>.tar.gz, so it must be empty or end with '/'.",
  ).default(''),
  region: doc(z.string().min(1).max(64), 'Region for request signing.').default('us-east-1'),
  pathStyle: doc(z.boolean(), 'Address the bucket in the path (http://host/bucket/key), as MinIO and most self-hosted stores need.').default(false),
  signatureV2: doc(z.boolean(), 'Sign with AWS signature version 2 (old stores only).').default(false),
  accessId: secretKeySource('the access key id'),
  accessKey: secretKeySource('the secret access key'),
  testIntervalSeconds: doc(z.number().int().min(30).max(86400), 'How often the connection is tested again.').default(600),
});

export const s3StoreStatusSchema = z.object({
  observedGeneration: observedGeneration(),
  conditions: conditions(),
  lastConnectionTest: doc(
    z.object({
      time: doc(z.string(), 'When the test ran (RFC 3339).'),
      success: doc(z.boolean(), 'Whether the bucket could be reached and written.'),
      message: doc(z.string(), 'What the test found.').optional(),
      latencyMs: doc(z.number().int().min(0), 'Duration of the test in milliseconds.').optional(),
    }),
    'Result of the latest connection test (HeadBucket and a small put/delete).',
  ).optional(),
});

export type S3StoreSpec = z.infer<typeof s3StoreSpecSchema>;
export type S3StoreStatus = z.infer<typeof s3StoreStatusSchema>;
