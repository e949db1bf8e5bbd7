// The five custom resources as whole objects: schemas, types, guards, and what their CRDs declare.
import { z } from 'zod';
import { backupRestoreSpecSchema, backupRestoreStatusSchema } from './backuprestore.ts';
import { backupScheduleSpecSchema, backupScheduleStatusSchema } from './backupschedule.ts';
import { botModuleSpecSchema, botModuleStatusSchema } from './botmodule.ts';
import { API_VERSION, KINDS } from './constants.ts';
import type { KindName } from './constants.ts';
import { ipcConfigSpecSchema, ipcConfigStatusSchema } from './ipcconfig.ts';
import { s3StoreSpecSchema, s3StoreStatusSchema } from './s3store.ts';

const metadataSchema = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().optional(),
  resourceVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

function resourceSchema<K extends KindName, S extends z.ZodType, T extends z.ZodType>(kind: K, spec: S, status: T) {
  return z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
    metadata: metadataSchema,
    spec,
    status: status.optional(),
  });
}

export const botModuleSchema = resourceSchema('BotModule', botModuleSpecSchema, botModuleStatusSchema);
export const ipcConfigSchema = resourceSchema('IpcConfig', ipcConfigSpecSchema, ipcConfigStatusSchema);
export const s3StoreSchema = resourceSchema('S3Store', s3StoreSpecSchema, s3StoreStatusSchema);
export const backupScheduleSchema = resourceSchema('BackupSchedule', backupScheduleSpecSchema, backupScheduleStatusSchema);
export const backupRestoreSchema = resourceSchema('BackupRestore', backupRestoreSpecSchema, backupRestoreStatusSchema);

export type BotModule = z.infer<typeof botModuleSchema>;
export type IpcConfig = z.infer<typeof ipcConfigSchema>;
export type S3Store = z.infer<typeof s3StoreSchema>;
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;
export type BackupRestore = z.infer<typeof backupRestoreSchema>;
export type EeveeResource = BotModule | IpcConfig | S3Store | BackupSchedule | BackupRestore;

export const resourceSchemas = {
  BotModule: botModuleSchema,
  IpcConfig: ipcConfigSchema,
  S3Store: s3StoreSchema,
  BackupSchedule: backupScheduleSchema,
  BackupRestore: backupRestoreSchema,
} as const;

interface TypeMeta {
  apiVersion?: unknown;
  kind?: unknown;
}

function isKind<K extends KindName>(kind: K) {
  return (obj: unknown): obj is z.infer<(typeof resourceSchemas)[K]> =>
    typeof obj === 'object' && obj !== null && (obj as TypeMeta).apiVersion === API_VERSION && (obj as TypeMeta).kind === KINDS[kind].kind;
}

/** Type guards on apiVersion/kind only; use the schemas to validate and apply defaults. */
export const isBotModule = isKind('BotModule');
export const isIpcConfig = isKind('IpcConfig');
export const isS3Store = isKind('S3Store');
export const isBackupSchedule = isKind('BackupSchedule');
export const isBackupRestore = isKind('BackupRestore');

/** Paths of Secret references that must stay in the resource's namespace (checked at admission and in code). */
export const SECRET_REFERENCES: Record<KindName, string[][]> = {
  BotModule: [['spec', 'envSecret']],
  IpcConfig: [['spec', 'nats', 'token', 'secretKeyRef', 'secret']],
  S3Store: [
    ['spec', 'accessId', 'secretKeyRef', 'secret'],
    ['spec', 'accessKey', 'secretKeyRef', 'secret'],
  ],
  BackupSchedule: [],
  BackupRestore: [],
};

/** Messages for every Secret reference of `obj` that points into another namespace. */
export function crossNamespaceSecretReferences(kind: KindName, obj: { metadata: { namespace?: string | undefined } }): string[] {
  const problems: string[] = [];
  for (const path of SECRET_REFERENCES[kind]) {
    let ref: unknown = obj;
    for (const key of path) ref = (ref as Record<string, unknown> | undefined)?.[key];
    const namespace = (ref as { namespace?: string } | undefined)?.namespace;
    if (namespace && namespace !== obj.metadata.namespace) {
      problems.push(`${path.join('.')}.namespace must be empty or ${obj.metadata.namespace ?? 'this namespace'}, not ${namespace}`);
    }
  }
  return problems;
}
