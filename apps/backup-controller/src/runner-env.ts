// The backup-runner's environment contract (the upstream backup image's, plus S3_REGION and retention), built
// from an S3Store; credentials by secretKeyRef so they never appear in a Job spec.
import type { S3Store } from '@eevee/crds';
import { EFFECTIVE_DEFAULTS, moduleObjectNames } from '@eevee/crds';
import type { V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from '@eevee/runtime';

/** How long one run of the backup-runner (a backup or a restore Job) may take: its activeDeadlineSeconds. */
export const RUNNER_DEADLINE_SECONDS = 3600;

export function storeEnvironment(store: S3Store): V1EnvVar[] {
  const spec = store.spec;
  const fromSecret = (ref: S3Store['spec']['accessId']) => ({
    secretKeyRef: { name: ref.secretKeyRef.secret.name, key: ref.secretKeyRef.key },
  });
  return [
    { name: 'S3_ENDPOINT', value: spec.endpoint },
    { name: 'S3_BUCKET', value: spec.bucket },
    { name: 'S3_PREFIX', value: spec.prefix },
    { name: 'S3_REGION', value: spec.region },
    { name: 'S3_PATH_STYLE', value: String(spec.pathStyle) },
    { name: 'S3_SIGNATURE_V2', value: String(spec.signatureV2) },
    { name: 'S3_ACCESS_ID', valueFrom: fromSecret(spec.accessId) },
    { name: 'S3_SECRET_KEY', valueFrom: fromSecret(spec.accessKey) },
  ];
}

/** The runner's final line of JSON, as the Job's pod leaves it in its termination message. */
export interface RunnerResult {
  ok: boolean;
  action?: string;
  backupId?: string;
  error?: string;
}

export function parseRunnerResult(message: string | undefined): RunnerResult | undefined {
  if (!message) return undefined;
  const line = message.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as RunnerResult).ok !== 'boolean')
      return undefined;
    const r = parsed as RunnerResult;
    return {
      ok: r.ok,
      ...(typeof r.action === 'string' ? { action: r.action } : {}),
      ...(typeof r.backupId === 'string' ? { backupId: r.backupId } : {}),
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The pod of a backup or restore Job: the runner (or the upstream image: same command paths) with the module's
 * volume mounted where the module mounts it, as the modules' uid, so restored files stay theirs.
 */
export function runnerPodSpec(runner: {
  container: 'backup' | 'restore';
  image: string;
  imagePullPolicy: string | undefined;
  env: V1EnvVar[];
  module: string;
  mountPath: string;
  readOnly: boolean;
}): V1PodSpec {
  return {
    restartPolicy: 'Never',
    securityContext: RESTRICTED_POD_SECURITY,
    containers: [
      {
        name: runner.container,
        image: runner.image,
        imagePullPolicy: runner.imagePullPolicy ?? EFFECTIVE_DEFAULTS.imagePullPolicy,
        command: [`/usr/local/bin/${runner.container}.sh`],
        env: [...runner.env, { name: 'BACKUP_PVC_PATH', value: runner.mountPath }],
        volumeMounts: [
          {
            name: 'module-data',
            mountPath: runner.mountPath,
            ...(runner.readOnly ? { readOnly: true } : {}),
          },
        ],
        terminationMessagePolicy: 'FallbackToLogsOnError',
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        securityContext: RESTRICTED_CONTAINER_SECURITY,
      },
    ],
    volumes: [
      {
        name: 'module-data',
        persistentVolumeClaim: {
          claimName: moduleObjectNames(runner.module).pvc,
          ...(runner.readOnly ? { readOnly: true } : {}),
        },
      },
    ],
  };
}
