// BotModule: one module of the bot (a connector, the router, a plugin, admin, toolbox) run as a Deployment
// with its configuration, an optional volume, and optional metrics/backups. Field names are upstream's.
import { z } from 'zod';
import type { V1PersistentVolumeClaimSpec, V1Probe, V1ResourceRequirements } from '@kubernetes/client-node';
import { conditions, image, imagePullPolicy, localRef, objectName, observedGeneration, orderedRange, secretReference } from './common.ts';
import { doc, embedded, listMap } from './schema-kit.ts';

const probe = (which: string) =>
  doc(
    embedded<V1Probe>('Probe'),
    `${which} probe of the module container (core/v1 Probe). Replaces the operator's default entirely.`,
  ).optional();

export const botModuleSpecSchema = z.object({
  moduleName: doc(
    z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/),
    'Logical id of the module (e.g. router, connector-irc, seen): used in the API, logs, and the S3 backup path <prefix><namespace>/<moduleName>/.',
  ),
  image: doc(image(), 'Container image of the module, e.g. ghcr.io/eeveebot/echo:1.3.9.'),
  size: doc(
    z.number().int().min(0).max(1000),
    'Number of replicas. 0 stops the module but keeps its Deployment, ConfigMap and volume. Also settable with kubectl scale.',
  ).default(1),
  enabled: doc(z.boolean(), 'false scales the module to 0 and keeps everything else (phase Disabled).').default(true),
  imagePullPolicy: doc(imagePullPolicy(), 'Image pull policy of the module container. Default: pullPolicy, else IfNotPresent.').optional(),
  pullPolicy: doc(imagePullPolicy(), 'Deprecated alias of imagePullPolicy, used only when imagePullPolicy is unset.').optional(),
  metrics: doc(
    z.boolean(),
    'Expose metrics and health on metricsPort: adds the metrics port, a Service for Prometheus, and the default probes.',
  ).default(false),
  metricsPort: doc(z.number().int().min(1).max(65535), 'Port of the module HTTP server (metrics, /health).').default(9000),
  ipcConfig: doc(objectName(), 'Name of the IpcConfig (NATS) in the same namespace the module connects to.').optional(),
  moduleConfig: doc(
    z.string().max(1024 * 1024),
    'The module configuration as YAML text; mounted at /etc/module-config/config.yaml (MODULE_CONFIG_PATH).',
  ).optional(),
  configUpdatePolicy: doc(
    z.enum(['Rollout', 'InPlace']),
    'What a moduleConfig change does: Rollout restarts the pods; InPlace only updates the file, for modules that reload it.',
  ).default('Rollout'),
  persistentVolumeClaim: doc(
    embedded<V1PersistentVolumeClaimSpec>('PersistentVolumeClaimSpec'),
    'Give the module a volume: spec of its PersistentVolumeClaim eevee-<name>-module-pvc (core/v1 PersistentVolumeClaimSpec).',
  ).optional(),
  volumeMountPath: doc(
    z.string().min(1).max(4096).regex(/^\//),
    'Where the volume is mounted in the container (MODULE_DATA).',
  ).default('/data'),
  volumeReclaimPolicy: doc(
    z.enum(['Retain', 'Delete']),
    'Retain keeps the PersistentVolumeClaim when the BotModule is deleted, so data survives an accidental delete; Delete removes it with the BotModule.',
  ).default('Retain'),
  mountOperatorApiToken: doc(
    z.boolean(),
    'Give the module the operator API token and URL (EEVEE_OPERATOR_API_TOKEN, EEVEE_OPERATOR_API_URL), as admin needs.',
  ).default(false),
  envSecret: secretReference('whose keys become environment variables of the module (envFrom)').optional(),
  resources: doc(
    embedded<V1ResourceRequirements>('ResourceRequirements'),
    'CPU and memory requests and limits of the module container (core/v1 ResourceRequirements).',
  ).optional(),
  livenessProbe: probe('Liveness'),
  readinessProbe: probe('Readiness'),
  startupProbe: probe('Startup'),
  backupSchedule: doc(localRef('BackupSchedule'), "Back up this module's volume on the named BackupSchedule.").optional(),
  bootstrapFromBackup: doc(
    z.object({
      s3Store: localRef('S3Store to restore from'),
      image: doc(image(), `Image of the restore job. Default: the backup-runner image.`).optional(),
      imagePullPolicy: doc(imagePullPolicy(), 'Pull policy of the restore job image. Default: IfNotPresent.').optional(),
    }),
    "Before the module first starts, restore the newest backup into its new, empty volume. Needs persistentVolumeClaim.",
  ).optional(),
  autoscaling: doc(
    orderedRange(
      z.object({
        minReplicas: doc(z.number().int().min(1), 'Lower bound of replicas.').default(1),
        maxReplicas: doc(z.number().int().min(1), 'Upper bound of replicas.'),
        targetCPUUtilizationPercentage: doc(z.number().int().min(1).max(100), 'Average CPU utilization to aim for.').default(80),
      }),
      'minReplicas',
      'maxReplicas',
    ),
    'Scale the module with a HorizontalPodAutoscaler on CPU; size is then the starting point.',
  ).optional(),
});

export const botModulePhaseSchema = z.enum([
  'Pending',
  'WaitingForBackup',
  'Bootstrapping',
  'BootstrapRestoreFailed',
  'Disabled',
  'Creating',
  'Updating',
  'Ready',
  'Unavailable',
]);

export const botModuleStatusSchema = z.object({
  observedGeneration: observedGeneration(),
  conditions: conditions(),
  phase: doc(botModulePhaseSchema, 'One word for the lifecycle, equal to the Ready condition reason.').optional(),
  replicas: doc(z.number().int().min(0), 'Pods the Deployment has (the scale subresource reads this).').optional(),
  readyReplicas: doc(z.number().int().min(0), 'Pods that are ready.').optional(),
  selector: doc(z.string(), 'Label selector of the module pods, for the scale subresource and HPA.').optional(),
  image: doc(z.string(), 'Image the Deployment runs.').optional(),
  configHash: doc(z.string(), 'Hash of the configuration the pods run with.').optional(),
  pods: doc(
    listMap(
      z.array(
        z.object({
          name: doc(z.string(), 'Pod name.'),
          phase: doc(z.string(), 'Pod phase (Pending, Running, Succeeded, Failed, Unknown).'),
          ready: doc(z.boolean(), 'Whether all its containers are ready.'),
          restarts: doc(z.number().int().min(0), 'Container restarts.'),
        }),
      ),
      ['name'],
    ),
    'The module pods, for the API gateway and kubectl.',
  ).optional(),
});

export type BotModuleSpec = z.infer<typeof botModuleSpecSchema>;
export type BotModuleSpecInput = z.input<typeof botModuleSpecSchema>;
export type BotModuleStatus = z.infer<typeof botModuleStatusSchema>;
export type BotModulePhase = z.infer<typeof botModulePhaseSchema>;
