// fast-check generators of valid specs for every kind, including embedded Kubernetes types with the shapes
// the upstream CRDs pruned (quantity maps, int-or-string ports, label selectors).
import fc from 'fast-check';
import type { KindName } from '../src/index.ts';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const image = fc.tuple(name, fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/)).map(([n, t]) => `ghcr.io/eeveebot/${n}:${t}`);
const pullPolicy = fc.constantFrom('Always', 'IfNotPresent', 'Never');
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 4096 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Gi`),
  fc.integer({ min: 1, max: 4000 }).map((n) => `${n}m`),
  fc.integer({ min: 1, max: 8 }),
);
const resources = fc.record(
  { requests: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }), limits: fc.record({ memory: quantity }, { requiredKeys: [] }) },
  { requiredKeys: [] },
);
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('metrics', 'http'));
const probe = fc.record(
  {
    httpGet: fc.record({ path: fc.constantFrom('/health', '/ready'), port }, { requiredKeys: ['port'] }),
    initialDelaySeconds: fc.integer({ min: 0, max: 60 }),
    periodSeconds: fc.integer({ min: 1, max: 60 }),
    failureThreshold: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: ['httpGet'] },
);
const pvc = fc.record(
  {
    accessModes: fc.constantFrom(['ReadWriteOnce'], ['ReadWriteOncePod'], ['ReadWriteMany']),
    resources: fc.record({ requests: fc.record({ storage: quantity }) }),
    storageClassName: name,
    selector: fc.record({ matchLabels: fc.dictionary(name, name, { maxKeys: 3 }) }),
  },
  { requiredKeys: ['resources'] },
);
const ref = fc.record({ name });
const secretKey = fc.record({ secretKeyRef: fc.record({ secret: fc.record({ name }), key: fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}$/) }) });
const text = fc.string({ maxLength: 200 });

export const specArbitraries: Record<KindName, fc.Arbitrary<Record<string, unknown>>> = {
  BotModule: fc.record(
    {
      moduleName: name,
      image,
      size: fc.integer({ min: 0, max: 10 }),
      enabled: fc.boolean(),
      imagePullPolicy: pullPolicy,
      pullPolicy,
      metrics: fc.boolean(),
      metricsPort: fc.integer({ min: 1, max: 65535 }),
      ipcConfig: name,
      moduleConfig: text,
      configUpdatePolicy: fc.constantFrom('Rollout', 'InPlace'),
      persistentVolumeClaim: pvc,
      volumeMountPath: fc.constantFrom('/data', '/var/lib/module'),
      volumeReclaimPolicy: fc.constantFrom('Retain', 'Delete'),
      mountOperatorApiToken: fc.boolean(),
      envSecret: ref,
      resources,
      livenessProbe: probe,
      readinessProbe: probe,
      startupProbe: probe,
      backupSchedule: ref,
      bootstrapFromBackup: fc.record({ s3Store: ref, image, imagePullPolicy: pullPolicy }, { requiredKeys: ['s3Store'] }),
      autoscaling: fc
        .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 100 }))
        .map(([min, extra, target]) => ({ minReplicas: min, maxReplicas: min + extra, targetCPUUtilizationPercentage: target })),
    },
    { requiredKeys: ['moduleName', 'image'] },
  ),
  IpcConfig: fc.record({
    nats: fc.record(
      {
        managed: fc.record(
          {
            enabled: fc.boolean(),
            image,
            imagePullPolicy: pullPolicy,
            resources,
            replicas: fc.constantFrom(1, 3, 5),
            jetstream: fc.record({ enabled: fc.boolean(), storage: pvc }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
        token: fc.record(
          { generate: fc.boolean(), secretKeyRef: fc.record({ secret: fc.record({ name }, { requiredKeys: [] }), key: fc.constantFrom('token', 'nats-token') }, { requiredKeys: ['secret'] }) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
  }),
  S3Store: fc.record(
    {
      endpoint: fc.constantFrom('https://s3.amazonaws.com', 'http://minio.storage:9000', 'https://s3.example.com/base'),
      bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/),
      prefix: fc.constantFrom('', 'eevee/', 'a/b/'),
      region: fc.constantFrom('us-east-1', 'eu-central-1'),
      pathStyle: fc.boolean(),
      signatureV2: fc.boolean(),
      accessId: secretKey,
      accessKey: secretKey,
      testIntervalSeconds: fc.integer({ min: 30, max: 86400 }),
    },
    { requiredKeys: ['endpoint', 'bucket', 'accessId', 'accessKey'] },
  ),
  BackupSchedule: fc.record(
    {
      schedule: fc.constantFrom('30 3 * * *', '*/15 * * * *', '0 0 1,15 * MON-FRI', '@daily', '0 */6 ? * *'),
      timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York'),
      suspend: fc.boolean(),
      s3Store: ref,
      image,
      imagePullPolicy: pullPolicy,
      retention: fc.record({ keepLast: fc.integer({ min: 1, max: 100 }), maxAgeDays: fc.integer({ min: 1, max: 365 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['schedule', 's3Store', 'image'] },
  ),
  BackupRestore: fc.record(
    {
      botModule: ref,
      s3Store: ref,
      image,
      imagePullPolicy: pullPolicy,
      backupId: fc.uuid(),
      cleanRestore: fc.boolean(),
      retry: fc.integer({ min: 0, max: 10 }),
    },
    { requiredKeys: ['botModule', 's3Store', 'image'] },
  ),
};
