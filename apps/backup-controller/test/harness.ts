// Runs the real backup-controller (in process) as a ServiceAccount with the permissions its code declares (the chart ships the same), in a fresh namespace,
// beside a real S3 server with a bucket and an S3Store (plus its credentials Secret) pointing at it.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { backupKey, s3Client } from '@eevee/backups';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { startControllerHarness } from '@eevee/runtime/testing';
import type { ControllerHarness } from '@eevee/runtime/testing';
import { eventually, startS3 } from '@eevee/testenv';
import type { S3Server } from '@eevee/testenv';
import { backupControllers } from '../src/controllers.ts';

export interface Harness extends ControllerHarness {
  s3: S3Server;
  bucket: string;
}

export async function startBackupController(prefix: string): Promise<Harness> {
  const s3 = await startS3();
  const bucket = `b-${prefix}`.toLowerCase();
  await client(s3).send(new CreateBucketCommand({ Bucket: bucket }));
  const h = await startControllerHarness({
    name: 'backup-controller',
    controllers: backupControllers(),
    prefix,
    asServiceAccount: {
      name: 'eevee-backup-controller',
    },
  });
  return {
    ...h,
    s3,
    bucket,
    stop: async () => {
      await h.stop();
      await s3.stop();
    },
  };
}

export const client = (s3: S3Server) =>
  s3Client(
    { endpoint: s3.endpoint, region: s3.region, pathStyle: true },
    { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  );

export async function putSecret(h: Harness, name: string, stringData: Record<string, string>): Promise<void> {
  await h.admin.apply(
    RESOURCES.Secret,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: h.ns.name }, stringData },
    'test',
  );
}

/** The S3Store `name` for the harness' S3 server, with credentials in Secret `s3-creds` (created here). */
export async function applyStore(
  h: Harness,
  name: string,
  spec: Record<string, unknown> = {},
): Promise<void> {
  await putSecret(h, 's3-creds', { id: h.s3.accessKeyId, key: h.s3.secretAccessKey });
  await h.admin.apply(
    RESOURCES.S3Store,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'S3Store',
      metadata: { name, namespace: h.ns.name },
      spec: {
        endpoint: h.s3.endpoint,
        bucket: h.bucket,
        region: h.s3.region,
        pathStyle: true,
        accessId: { secretKeyRef: { secret: { name: 's3-creds' }, key: 'id' } },
        accessKey: { secretKeyRef: { secret: { name: 's3-creds' }, key: 'key' } },
        ...spec,
      },
    },
    'test',
  );
}

/** A backup object as the runner would leave it; returns its id. */
export async function putBackup(h: Harness, module: string, prefix = ''): Promise<string> {
  const id = randomUUID();
  await client(h.s3).send(
    new PutObjectCommand({
      Bucket: h.bucket,
      Key: backupKey({ prefix, namespace: h.ns.name, module }, id),
      Body: 'tar.gz',
    }),
  );
  return id;
}

type Condition = { type: string; status: string; reason: string; message: string };
export type Obj = KubeObject & {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Condition[] };
};

export const ready = (o: Obj): Condition | undefined => o.status?.conditions?.find((c) => c.type === 'Ready');

export function waitFor(
  h: Harness,
  type: typeof RESOURCES.S3Store,
  name: string,
  what: string,
  done: (o: Obj) => boolean,
  timeoutMs = 60_000,
): Promise<Obj> {
  return eventually(
    `${type.kind} ${name}: ${what}`,
    () => h.admin.get<Obj>(type, h.ns.name, name),
    done,
    timeoutMs,
  );
}
