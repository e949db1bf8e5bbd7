// Backup objects the e2e tests share: the S3 server with a bucket, an S3Store on it (its credentials in Secret
// "s3") and a nightly BackupSchedule on it.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@eevee/backups';
import { RESOURCES } from '@eevee/runtime';
import type { KubeClient } from '@eevee/runtime';
import { startS3 } from '@eevee/testenv';
import type { S3Server } from '@eevee/testenv';

export async function startS3WithBucket(bucket: string): Promise<S3Server> {
  const s3 = await startS3();
  await s3Client(
    { endpoint: s3.endpoint, region: s3.region, pathStyle: true },
    { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  ).send(new CreateBucketCommand({ Bucket: bucket }));
  return s3;
}

export async function createS3Store(
  admin: KubeClient,
  namespace: string,
  s3: S3Server,
  store: { name: string; bucket: string; prefix: string },
): Promise<void> {
  await admin.create(RESOURCES.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's3', namespace },
    stringData: { id: s3.accessKeyId, key: s3.secretAccessKey },
  });
  await admin.create(RESOURCES.S3Store, {
    apiVersion: 'eevee.bot/v1',
    kind: 'S3Store',
    metadata: { name: store.name, namespace },
    spec: {
      endpoint: s3.endpoint,
      bucket: store.bucket,
      prefix: store.prefix,
      region: s3.region,
      pathStyle: true,
      accessId: { secretKeyRef: { secret: { name: 's3' }, key: 'id' } },
      accessKey: { secretKeyRef: { secret: { name: 's3' }, key: 'key' } },
    },
  });
}

export async function createNightlySchedule(
  admin: KubeClient,
  namespace: string,
  store: string,
): Promise<void> {
  await admin.create(RESOURCES.BackupSchedule, {
    apiVersion: 'eevee.bot/v1',
    kind: 'BackupSchedule',
    metadata: { name: 'nightly', namespace },
    spec: { schedule: '30 3 * * *', s3Store: { name: store }, image: 'ghcr.io/eeveebot/backupjob:1.0.0' },
  });
}
