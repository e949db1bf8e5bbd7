// Invalid resources, each with what zod says (naming the field) and what the apiserver says at admission.
// Shared by the unit test (zod) and the integration test (the real apiserver, CRD schema + CEL + policy).
import type { KindName } from '../src/index.ts';

export const validSpecs: Record<KindName, Record<string, unknown>> = {
  BotModule: { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' },
  IpcConfig: { nats: {} },
  S3Store: {
    endpoint: 'https://s3.example.com',
    bucket: 'backups',
    accessId: { secretKeyRef: { secret: { name: 's3' }, key: 'id' } },
    accessKey: { secretKeyRef: { secret: { name: 's3' }, key: 'secret' } },
  },
  BackupSchedule: { schedule: '30 3 * * *', s3Store: { name: 'offsite' }, image: 'ghcr.io/eeveebot/backupjob:latest' },
  BackupRestore: { botModule: { name: 'tell' }, s3Store: { name: 'offsite' }, image: 'ghcr.io/eeveebot/backupjob:latest' },
};

export interface InvalidCase {
  title: string;
  kind: KindName;
  /** The valid spec with these top-level keys replaced (undefined removes the key). */
  spec: Record<string, unknown>;
  /** The field the error must name, e.g. spec.size. */
  field: string;
  /** What the apiserver's message must contain. */
  apiserver: RegExp;
  /**
   * Where the rule lives: 'schema' (zod and the CRD schema/CEL) or 'policy' (the Secret-namespace admission
   * policy, which needs the object's namespace: zod cannot see it, crossNamespaceSecretReferences does).
   */
  by?: 'schema' | 'policy';
}

const ref = (key: string, namespace?: string) => ({ secretKeyRef: { secret: { name: 's3', ...(namespace ? { namespace } : {}) }, key } });

export const invalidCases: InvalidCase[] = [
  { title: 'moduleName missing', kind: 'BotModule', spec: { moduleName: undefined }, field: 'spec.moduleName', apiserver: /spec\.moduleName: Required value/ },
  { title: 'image missing', kind: 'BotModule', spec: { image: undefined }, field: 'spec.image', apiserver: /spec\.image: Required value/ },
  { title: 'negative size', kind: 'BotModule', spec: { size: -1 }, field: 'spec.size', apiserver: /spec\.size.*greater than or equal to 0/ },
  { title: 'fractional size', kind: 'BotModule', spec: { size: 1.5 }, field: 'spec.size', apiserver: /spec\.size.*must be of type integer/ },
  { title: 'size as text', kind: 'BotModule', spec: { size: 'two' }, field: 'spec.size', apiserver: /spec\.size.*must be of type integer/ },
  { title: 'unknown imagePullPolicy', kind: 'BotModule', spec: { imagePullPolicy: 'Sometimes' }, field: 'spec.imagePullPolicy', apiserver: /spec\.imagePullPolicy: Unsupported value: "Sometimes"/ },
  { title: 'unknown legacy pullPolicy', kind: 'BotModule', spec: { pullPolicy: 'always' }, field: 'spec.pullPolicy', apiserver: /spec\.pullPolicy: Unsupported value: "always"/ },
  { title: 'metricsPort 0', kind: 'BotModule', spec: { metricsPort: 0 }, field: 'spec.metricsPort', apiserver: /spec\.metricsPort.*greater than or equal to 1/ },
  { title: 'metricsPort too big', kind: 'BotModule', spec: { metricsPort: 70000 }, field: 'spec.metricsPort', apiserver: /spec\.metricsPort.*less than or equal to 65535/ },
  { title: 'moduleName with spaces', kind: 'BotModule', spec: { moduleName: 'Echo Bot' }, field: 'spec.moduleName', apiserver: /spec\.moduleName.*should match/ },
  { title: 'empty image', kind: 'BotModule', spec: { image: '' }, field: 'spec.image', apiserver: /spec\.image.*at least 1 chars long/ },
  { title: 'image with a space', kind: 'BotModule', spec: { image: 'ghcr.io/eeveebot/echo 1.3' }, field: 'spec.image', apiserver: /spec\.image.*should match/ },
  { title: 'relative volumeMountPath', kind: 'BotModule', spec: { volumeMountPath: 'data' }, field: 'spec.volumeMountPath', apiserver: /spec\.volumeMountPath.*should match/ },
  { title: 'unknown volumeReclaimPolicy', kind: 'BotModule', spec: { volumeReclaimPolicy: 'Keep' }, field: 'spec.volumeReclaimPolicy', apiserver: /spec\.volumeReclaimPolicy: Unsupported value: "Keep"/ },
  { title: 'unknown configUpdatePolicy', kind: 'BotModule', spec: { configUpdatePolicy: 'Restart' }, field: 'spec.configUpdatePolicy', apiserver: /spec\.configUpdatePolicy: Unsupported value: "Restart"/ },
  { title: 'enabled as text', kind: 'BotModule', spec: { enabled: 'yes' }, field: 'spec.enabled', apiserver: /spec\.enabled.*must be of type boolean/ },
  { title: 'autoscaling max below min', kind: 'BotModule', spec: { autoscaling: { minReplicas: 5, maxReplicas: 2 } }, field: 'spec.autoscaling.maxReplicas', apiserver: /spec\.autoscaling\.maxReplicas.*maxReplicas must be greater than or equal to minReplicas/ },
  { title: 'autoscaling target over 100', kind: 'BotModule', spec: { autoscaling: { maxReplicas: 3, targetCPUUtilizationPercentage: 150 } }, field: 'spec.autoscaling.targetCPUUtilizationPercentage', apiserver: /targetCPUUtilizationPercentage.*less than or equal to 100/ },
  { title: 'autoscaling without maxReplicas', kind: 'BotModule', spec: { autoscaling: { minReplicas: 1 } }, field: 'spec.autoscaling.maxReplicas', apiserver: /spec\.autoscaling\.maxReplicas: Required value/ },
  { title: 'backupSchedule without name', kind: 'BotModule', spec: { backupSchedule: {} }, field: 'spec.backupSchedule.name', apiserver: /spec\.backupSchedule\.name: Required value/ },
  { title: 'bootstrapFromBackup without s3Store', kind: 'BotModule', spec: { bootstrapFromBackup: {} }, field: 'spec.bootstrapFromBackup.s3Store', apiserver: /spec\.bootstrapFromBackup\.s3Store: Required value/ },
  { title: 'envSecret without name', kind: 'BotModule', spec: { envSecret: {} }, field: 'spec.envSecret.name', apiserver: /spec\.envSecret\.name: Required value/ },
  { title: 'ipcConfig not a name', kind: 'BotModule', spec: { ipcConfig: 'Not_A_Name' }, field: 'spec.ipcConfig', apiserver: /spec\.ipcConfig.*should match/ },
  { title: 'persistentVolumeClaim as text', kind: 'BotModule', spec: { persistentVolumeClaim: 'big' }, field: 'spec.persistentVolumeClaim', apiserver: /spec\.persistentVolumeClaim.*must be of type object/ },
  { title: 'probe httpGet without port', kind: 'BotModule', spec: { livenessProbe: { httpGet: { path: '/health' } } }, field: 'spec.livenessProbe.httpGet.port', apiserver: /spec\.livenessProbe\.httpGet\.port: Required value/ },
  { title: 'resources with a bad quantity', kind: 'BotModule', spec: { resources: { requests: { cpu: 'lots' } } }, field: 'spec.resources.requests.cpu', apiserver: /spec\.resources\.requests\.cpu.*should match/ },
  { title: 'PVC storage not a quantity', kind: 'BotModule', spec: { persistentVolumeClaim: { resources: { requests: { storage: 'one gig' } } } }, field: 'spec.persistentVolumeClaim.resources.requests.storage', apiserver: /spec\.persistentVolumeClaim\.resources\.requests\.storage.*should match/ },
  { title: 'envSecret in another namespace', kind: 'BotModule', spec: { envSecret: { name: 'x', namespace: 'elsewhere' } }, field: 'spec.envSecret.namespace', apiserver: /spec\.envSecret\.namespace must be empty or the BotModule's own namespace/, by: 'policy' },
  { title: 'NATS with two replicas', kind: 'IpcConfig', spec: { nats: { managed: { replicas: 2 } } }, field: 'spec.nats.managed.replicas', apiserver: /replicas must be 1, or 3 or more for a NATS cluster/ },
  { title: 'nats missing', kind: 'IpcConfig', spec: { nats: undefined }, field: 'spec.nats', apiserver: /spec\.nats: Required value/ },
  { title: 'token key with spaces', kind: 'IpcConfig', spec: { nats: { token: { secretKeyRef: { secret: {}, key: 'my key' } } } }, field: 'spec.nats.token.secretKeyRef.key', apiserver: /spec\.nats\.token\.secretKeyRef\.key.*should match/ },
  { title: 'unknown NATS imagePullPolicy', kind: 'IpcConfig', spec: { nats: { managed: { imagePullPolicy: 'Maybe' } } }, field: 'spec.nats.managed.imagePullPolicy', apiserver: /Unsupported value: "Maybe"/ },
  { title: 'token Secret in another namespace', kind: 'IpcConfig', spec: { nats: { token: { secretKeyRef: { secret: { name: 't', namespace: 'elsewhere' } } } } }, field: 'spec.nats.token.secretKeyRef.secret.namespace', apiserver: /spec\.nats\.token\.secretKeyRef\.secret\.namespace must be empty/, by: 'policy' },
  { title: 'prefix without trailing slash', kind: 'S3Store', spec: { prefix: 'backups' }, field: 'spec.prefix', apiserver: /spec\.prefix.*prefix must be empty or end with '\/'/ },
  { title: 'endpoint not http(s)', kind: 'S3Store', spec: { endpoint: 'ftp://s3.example.com' }, field: 'spec.endpoint', apiserver: /spec\.endpoint.*should match/ },
  { title: 'bucket with capitals', kind: 'S3Store', spec: { bucket: 'Backups' }, field: 'spec.bucket', apiserver: /spec\.bucket.*should match/ },
  { title: 'accessKey missing', kind: 'S3Store', spec: { accessKey: undefined }, field: 'spec.accessKey', apiserver: /spec\.accessKey: Required value/ },
  { title: 'accessId without key', kind: 'S3Store', spec: { accessId: { secretKeyRef: { secret: { name: 's3' } } } }, field: 'spec.accessId.secretKeyRef.key', apiserver: /spec\.accessId\.secretKeyRef\.key: Required value/ },
  { title: 'testIntervalSeconds too short', kind: 'S3Store', spec: { testIntervalSeconds: 5 }, field: 'spec.testIntervalSeconds', apiserver: /spec\.testIntervalSeconds.*greater than or equal to 30/ },
  { title: 'credentials Secret in another namespace', kind: 'S3Store', spec: { accessId: ref('id', 'elsewhere') }, field: 'spec.accessId.secretKeyRef.secret.namespace', apiserver: /spec\.accessId\.secretKeyRef\.secret\.namespace must be empty/, by: 'policy' },
  { title: 'schedule in words', kind: 'BackupSchedule', spec: { schedule: 'every night' }, field: 'spec.schedule', apiserver: /spec\.schedule.*schedule must be a cron expression/ },
  { title: 'schedule with four fields', kind: 'BackupSchedule', spec: { schedule: '30 3 * *' }, field: 'spec.schedule', apiserver: /schedule must be a cron expression/ },
  { title: 'schedule macro unknown', kind: 'BackupSchedule', spec: { schedule: '@sometimes' }, field: 'spec.schedule', apiserver: /schedule must be a cron expression/ },
  { title: 'schedule image missing', kind: 'BackupSchedule', spec: { image: undefined }, field: 'spec.image', apiserver: /spec\.image: Required value/ },
  { title: 'retention keepLast 0', kind: 'BackupSchedule', spec: { retention: { keepLast: 0 } }, field: 'spec.retention.keepLast', apiserver: /spec\.retention\.keepLast.*greater than or equal to 1/ },
  { title: 'backupId not a UUID', kind: 'BackupRestore', spec: { backupId: 'latest' }, field: 'spec.backupId', apiserver: /spec\.backupId.*backupId must be a UUID/ },
  { title: 'negative retry', kind: 'BackupRestore', spec: { retry: -1 }, field: 'spec.retry', apiserver: /spec\.retry.*greater than or equal to 0/ },
  { title: 'restore without botModule', kind: 'BackupRestore', spec: { botModule: undefined }, field: 'spec.botModule', apiserver: /spec\.botModule: Required value/ },
];

export function specOf(c: InvalidCase): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...validSpecs[c.kind], ...c.spec };
  for (const [key, value] of Object.entries(c.spec)) if (value === undefined) delete spec[key];
  return spec;
}
