// The backup-runner's environment contract (the upstream backup image's, plus S3_REGION and retention), built
// from an S3Store; credentials by secretKeyRef so they never appear in a Job spec.
import type { S3Store } from '@eevee/crds';
import type { V1EnvVar } from '@kubernetes/client-node';

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

/** The pod security every runner pod gets: the modules' uid and group, so restored files stay theirs. */
export const RUNNER_POD_SECURITY = {
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const RUNNER_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
