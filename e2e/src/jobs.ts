// Playing the kubelet for the backup-runner: kwok runs no container, so a test runs the real program with exactly
// the command and environment of a Job's pod (Secrets resolved as the kubelet does), the volume being a local
// directory, and can hand the outcome back to Kubernetes through a Job whose pod kwok ends the same way.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1EnvVar } from '@kubernetes/client-node';
import type { KubeObject } from '@eevee/runtime';
import { REPLAY_ANNOTATIONS, REPLAY_JOB_IMAGE, podEnvironment } from '@eevee/testenv';

const RUNNER = join(import.meta.dirname, '..', '..', 'apps', 'backup-runner', 'src', 'main.ts');

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: { image?: string; command?: string[]; env?: V1EnvVar[] }[] };
}
export type CronJob = KubeObject & {
  spec: { jobTemplate: { metadata?: { labels?: Record<string, string> }; spec: { template: PodTemplate } } };
};

export interface RunOutcome {
  exitCode: number;
  /** The runner's one-line JSON result, as its termination message. */
  message: string;
  result: { ok: boolean; error?: string; backupId?: string };
}

/** Runs the pod template's backup-runner (backup.sh or restore.sh) with its environment, on `volume`. */
export async function runAsJob(
  template: PodTemplate,
  secrets: Record<string, Record<string, string>>,
  volume: string,
  resultFile: string,
): Promise<RunOutcome> {
  const container = template.spec.containers[0]!;
  const action = /(backup|restore)\.sh$/.exec(container.command?.[0] ?? '')?.[1];
  if (!action) throw new Error(`not a backup-runner container: ${JSON.stringify(container.command)}`);
  const env = { ...process.env, ...podEnvironment(container.env ?? [], secrets), BACKUP_PVC_PATH: volume };
  const run = await promisify(execFile)(process.execPath, [RUNNER, action], {
    env: { ...env, RESULT_FILE: resultFile },
  }).then(
    ({ stdout }) => ({ exitCode: 0, stdout }),
    (err: { code?: number; stdout?: string }) => ({ exitCode: err.code ?? 1, stdout: err.stdout ?? '' }),
  );
  const message = run.stdout.trim().split('\n').pop() ?? '{}';
  return { exitCode: run.exitCode, message, result: JSON.parse(message) as RunOutcome['result'] };
}

/**
 * A Job made from a CronJob, as `kubectl create job --from=cronjob/<name>` makes it (its template, labels and
 * owner), whose pod kwok ends with `outcome`: the CronJob's run, as the real program ran it.
 */
export function replayJob(cronJob: CronJob, name: string, outcome: RunOutcome): KubeObject {
  const { template, ...spec } = cronJob.spec.jobTemplate.spec as { template: PodTemplate } & Record<
    string,
    unknown
  >;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      labels: cronJob.spec.jobTemplate.metadata?.labels ?? {},
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata.name,
          uid: cronJob.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      ...spec,
      backoffLimit: 0,
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          annotations: {
            ...template.metadata?.annotations,
            [REPLAY_ANNOTATIONS.exitCode]: String(outcome.exitCode),
            [REPLAY_ANNOTATIONS.terminationMessage]: outcome.message,
          },
        },
        spec: {
          ...template.spec,
          containers: template.spec.containers.map((c, i) =>
            i === 0 ? { ...c, image: REPLAY_JOB_IMAGE } : c,
          ),
        },
      },
    },
  };
}
