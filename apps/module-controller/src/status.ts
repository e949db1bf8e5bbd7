// The BotModule status: one lifecycle word (phase, equal to the Ready condition's reason, as upstream wrote
// it) plus Ready, Progressing, Degraded, IpcReady and Bootstrapped conditions, from what the caches show.
import type { BotModule, BotModulePhase, Condition } from '@eevee/crds';
import { setCondition } from '@eevee/runtime';
import type { DesiredCondition, KubeObject } from '@eevee/runtime';
import type { ModuleInputs } from './inputs.ts';

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  unavailableReplicas?: number;
}

export interface StatusInputs {
  module: BotModule;
  inputs: ModuleInputs;
  deployment: (KubeObject & { status?: DeploymentStatus; spec?: { replicas?: number } }) | undefined;
  desiredReplicas: number;
  /** Why the Deployment was not applied this time (held back), if it was not. */
  heldBack: string | undefined;
  /** Problems that do not stop the module (e.g. a PVC change Kubernetes refuses). */
  problems: string[];
  selector: string;
  configHash: string;
}

function lifecycle(s: StatusInputs): { phase: BotModulePhase; status: Condition['status']; message: string } {
  const { module, inputs, deployment } = s;
  if (!module.spec.enabled) return { phase: 'Disabled', status: 'False', message: 'Module is disabled' };
  if (inputs.bootstrap.kind === 'waiting')
    return { phase: 'WaitingForBackup', status: 'False', message: inputs.bootstrap.message };
  if (inputs.bootstrap.kind === 'restoring')
    return { phase: 'Bootstrapping', status: 'False', message: inputs.bootstrap.message };
  if (inputs.bootstrap.kind === 'failed')
    return { phase: 'BootstrapRestoreFailed', status: 'False', message: inputs.bootstrap.message };
  if (inputs.restoreInProgress)
    return {
      phase: 'Updating',
      status: 'False',
      message: `Held at 0 replicas while BackupRestore ${inputs.restoreInProgress} runs`,
    };
  if (!deployment)
    return s.heldBack
      ? { phase: 'Pending', status: 'False', message: s.heldBack }
      : { phase: 'Creating', status: 'Unknown', message: 'Deployment created' };
  const st = deployment.status ?? {};
  const desired = s.desiredReplicas;
  const available = st.availableReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  const unavailable = st.unavailableReplicas ?? 0;
  const total = st.replicas ?? 0;
  if ((st.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0))
    return { phase: 'Updating', status: 'Unknown', message: 'Deployment update not yet observed' };
  if (desired === 0)
    return total === 0
      ? { phase: 'Ready', status: 'True', message: 'Scaled to 0 replicas' }
      : { phase: 'Updating', status: 'Unknown', message: `Scaling down (${total} left)` };
  if (updated < desired || total > desired)
    return {
      phase: 'Updating',
      status: 'Unknown',
      message: `Deployment updating (${updated}/${desired} updated)`,
    };
  if (available >= desired && unavailable === 0)
    return {
      phase: 'Ready',
      status: 'True',
      message: `Deployment ready (${available}/${desired} replicas available)`,
    };
  const previous = module.status?.phase;
  if (available === 0 && (previous === undefined || previous === 'Creating' || previous === 'Pending'))
    return { phase: 'Creating', status: 'Unknown', message: `Waiting for pods (0/${desired} available)` };
  return {
    phase: 'Unavailable',
    status: 'False',
    message: `Deployment unavailable (${unavailable || desired - available} unavailable replica(s), ${available} available)`,
  };
}

/** A module that has not been Ready yet is Creating, whatever its first Deployment is going through. */
function firstStart(s: StatusInputs, life: ReturnType<typeof lifecycle>): ReturnType<typeof lifecycle> {
  const previous = s.module.status?.phase;
  const starting = previous === undefined || previous === 'Creating' || previous === 'Pending';
  return starting &&
    (life.phase === 'Updating' || life.phase === 'Unavailable') &&
    !s.inputs.restoreInProgress
    ? { ...life, phase: 'Creating', status: 'Unknown' }
    : life;
}

export function computeStatus(s: StatusInputs): NonNullable<BotModule['status']> {
  const generation = s.module.metadata.generation ?? 0;
  const life = firstStart(s, lifecycle(s));
  const wanted: DesiredCondition[] = [
    {
      type: 'Ready',
      status: life.status,
      reason: life.phase,
      message: life.message,
      observedGeneration: generation,
    },
    life.phase === 'Creating' || life.phase === 'Updating'
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'RollingOut',
          message: life.message,
          observedGeneration: generation,
        }
      : {
          type: 'Progressing',
          status: 'False',
          reason: 'Stable',
          message: '',
          observedGeneration: generation,
        },
    life.phase === 'Unavailable' || life.phase === 'BootstrapRestoreFailed' || s.problems.length > 0
      ? {
          type: 'Degraded',
          status: 'True',
          reason: s.problems.length > 0 ? 'ChildRejected' : life.phase,
          message: [
            ...s.problems,
            life.phase === 'Unavailable' || life.phase === 'BootstrapRestoreFailed' ? life.message : '',
          ]
            .filter(Boolean)
            .join('; '),
          observedGeneration: generation,
        }
      : {
          type: 'Degraded',
          status: 'False',
          reason: 'AsExpected',
          message: '',
          observedGeneration: generation,
        },
  ];
  const ipc = s.inputs.ipc;
  if (ipc.kind !== 'none') {
    const ready = ipc.kind === 'published' && ipc.ready;
    wanted.push({
      type: 'IpcReady',
      status: ready ? 'True' : 'False',
      reason: ready ? 'IpcConfigReady' : 'IpcConfigNotReady',
      message: ipc.message,
      observedGeneration: generation,
    });
  }
  const bootstrap = s.inputs.bootstrap;
  if (bootstrap.kind !== 'none') {
    wanted.push(
      bootstrap.kind === 'done'
        ? {
            type: 'Bootstrapped',
            status: 'True',
            reason: 'Restored',
            message: 'The volume holds restored or live data',
            observedGeneration: generation,
          }
        : {
            type: 'Bootstrapped',
            status: bootstrap.kind === 'restoring' ? 'Unknown' : 'False',
            reason: life.phase,
            message: bootstrap.message,
            observedGeneration: generation,
          },
    );
  }
  let conditions: Condition[] = (s.module.status?.conditions ?? []).filter((c) =>
    wanted.some((w) => w.type === c.type),
  );
  for (const condition of wanted) conditions = setCondition(conditions, condition);
  const st = s.deployment?.status;
  return {
    observedGeneration: generation,
    phase: life.phase,
    conditions,
    replicas: st?.replicas ?? 0,
    readyReplicas: st?.readyReplicas ?? 0,
    selector: s.selector,
    image: s.module.spec.image,
    configHash: s.configHash,
    pods: s.inputs.pods,
  };
}
