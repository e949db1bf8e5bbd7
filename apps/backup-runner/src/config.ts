// The environment contract of the upstream backup image (same names, same defaults) plus the new optional
// retention and compression settings. Parsed once at start; anything invalid is exit code 2 with a message that
// names the variable and never repeats a credential.
import { z } from 'zod';
import { isUuid } from '@eevee/backups';
import type { ModuleLocation } from '@eevee/backups';
import type { RetentionPolicy } from './retention.ts';

export type Action = 'backup' | 'restore';

export interface S3Settings {
  endpoint: string;
  bucket: string;
  prefix: string;
  pathStyle: boolean;
  /** Requested by S3_SIGNATURE_V2; requests are signed with V4 regardless (the AWS SDK v3 has no V2 signer). */
  signatureV2: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface BackupConfig {
  action: 'backup';
  s3: S3Settings;
  location: ModuleLocation;
  volumePath: string;
  retention: RetentionPolicy;
  gzipLevel: number;
}

export interface RestoreConfig {
  action: 'restore';
  s3: S3Settings;
  location: ModuleLocation;
  volumePath: string;
  /** undefined: the newest backup. */
  backupId: string | undefined;
  clean: boolean;
}

export type RunnerConfig = BackupConfig | RestoreConfig;

export class ConfigError extends Error {}

/** Where the result JSON also goes; read even when the rest of the configuration is invalid. */
export function resultFilePath(env: NodeJS.ProcessEnv): string {
  return env.RESULT_FILE === undefined || env.RESULT_FILE === '' ? '/dev/termination-log' : env.RESULT_FILE;
}

/**
 * Backups compress with gzip level 1 by default: on the benchmark's mixed tree levels 3 and 6 shrank the archive
 * by under 2 % for 25-40 % less throughput, and level 0 gained ~8 % but stored text uncompressed (README,
 * "Measured").
 */
export const DEFAULT_GZIP_LEVEL = 1;

const required = z.string({ error: 'is required' }).min(1, 'is required');
const name = required.regex(/^[^/]+$/, 'must not contain "/"');
const bool = (fallback: boolean) =>
  z
    .string()
    .regex(/^(true|false)$/i, 'must be "true" or "false"')
    .optional()
    .transform((v) => (v === undefined ? fallback : v.toLowerCase() === 'true'));
const positiveInt = z
  .string()
  .regex(/^[0-9]+$/, 'must be a whole number >= 1')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n >= 1, 'must be a whole number >= 1')
  .optional();
const absolutePath = z.string().startsWith('/', 'must be an absolute path').default('/data');

const s3Schema = z.object({
  S3_ENDPOINT: required.regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL'),
  S3_BUCKET: required,
  S3_PREFIX: z.string().default(''),
  S3_PATH_STYLE: bool(false),
  S3_SIGNATURE_V2: bool(false),
  S3_ACCESS_ID: required,
  S3_SECRET_KEY: required,
  S3_REGION: z.string().default('us-east-1'),
});

const backupSchema = s3Schema.extend({
  BACKUP_NAMESPACE: name,
  BACKUP_MODULE: name,
  BACKUP_PVC_PATH: absolutePath,
  RETENTION_KEEP_LAST: positiveInt,
  RETENTION_MAX_AGE_DAYS: positiveInt,
  BACKUP_GZIP_LEVEL: z
    .string()
    .regex(/^[0-9]$/, 'must be a gzip level from 0 to 9')
    .transform(Number)
    .default(DEFAULT_GZIP_LEVEL),
});

const restoreSchema = s3Schema.extend({
  RESTORE_NAMESPACE: name,
  RESTORE_MODULE: name,
  BACKUP_PVC_PATH: absolutePath,
  RESTORE_BACKUP_ID: z
    .string()
    .refine((v) => v.toLowerCase() === 'latest' || isUuid(v), 'must be a backup UUID or "latest"')
    .optional(),
  RESTORE_CLEAN: bool(false),
});

/** Empty variables count as unset: Kubernetes manifests often render optional values as "". */
function present(env: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, env[k] === '' ? undefined : env[k]]));
}

function fail(error: z.ZodError): never {
  // Messages come from the schemas above, never from the input, so no value (and no secret) is echoed.
  const problems = error.issues.map((issue) => `${issue.path.map(String).join('.')} ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

function s3Settings(env: z.infer<typeof s3Schema>): S3Settings {
  return {
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    prefix: env.S3_PREFIX,
    pathStyle: env.S3_PATH_STYLE,
    signatureV2: env.S3_SIGNATURE_V2,
    accessKeyId: env.S3_ACCESS_ID,
    secretAccessKey: env.S3_SECRET_KEY,
    region: env.S3_REGION,
  };
}

export function parseAction(argument: string | undefined): Action {
  if (argument === 'backup' || argument === 'restore') return argument;
  throw new ConfigError(
    `usage: backup-runner backup|restore (got ${argument === undefined ? 'no command' : JSON.stringify(argument)})`,
  );
}

export function parseConfig(action: Action, env: NodeJS.ProcessEnv): RunnerConfig {
  if (action === 'backup') {
    const parsed = backupSchema.safeParse(present(env, Object.keys(backupSchema.shape)));
    if (!parsed.success) fail(parsed.error);
    const e = parsed.data;
    return {
      action,
      s3: s3Settings(e),
      location: { prefix: e.S3_PREFIX, namespace: e.BACKUP_NAMESPACE, module: e.BACKUP_MODULE },
      volumePath: e.BACKUP_PVC_PATH,
      retention: { keepLast: e.RETENTION_KEEP_LAST, maxAgeDays: e.RETENTION_MAX_AGE_DAYS },
      gzipLevel: e.BACKUP_GZIP_LEVEL,
    };
  }
  const parsed = restoreSchema.safeParse(present(env, Object.keys(restoreSchema.shape)));
  if (!parsed.success) fail(parsed.error);
  const e = parsed.data;
  const id = e.RESTORE_BACKUP_ID;
  return {
    action,
    s3: s3Settings(e),
    location: { prefix: e.S3_PREFIX, namespace: e.RESTORE_NAMESPACE, module: e.RESTORE_MODULE },
    volumePath: e.BACKUP_PVC_PATH,
    // Kept as written: the key must match byte for byte whatever case the id was created in.
    backupId: id === undefined || id.toLowerCase() === 'latest' ? undefined : id,
    clean: e.RESTORE_CLEAN,
  };
}
