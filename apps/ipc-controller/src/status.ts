// The IpcConfig status: what modules need and nothing secret (the client URL, the token Secret's name and key),
// plus Ready (the upstream reason NatsDeployed when all is well), TokenReady and, for a managed server,
// ServerReady.
import type { Condition, IpcConfig } from '@eevee/crds';
import { setCondition } from '@eevee/runtime';
import type { DesiredCondition, KubeObject } from '@eevee/runtime';
import { NATS_PORTS } from './desired/nats-config.ts';
import type { TokenState } from './token.ts';

interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
}

export interface StatusInputs {
  ipc: IpcConfig;
  managed: boolean;
  token: TokenState;
  /** The server's Deployment or StatefulSet as last seen (managed only). */
  workload: (KubeObject & { status?: WorkloadStatus; spec?: { replicas?: number } }) | undefined;
  /** The client Service's name (managed only). */
  service: string;
  /** Children Kubernetes refused, with its message. */
  problems: string[];
}

/** An external NATS: the Secret's host as a URL (upstream stores a bare host name; clients default to 4222). */
export function externalUrl(host: string): string {
  const trimmed = host.trim();
  if (/^[a-z]+:\/\//i.test(trimmed)) return trimmed;
  return /:\d+$/.test(trimmed) ? `nats://${trimmed}` : `nats://${trimmed}:${NATS_PORTS.client}`;
}

function serverState(s: StatusInputs): { status: Condition['status']; reason: string; message: string } {
  const w = s.workload;
  const desired = w?.spec?.replicas ?? 0;
  const st = w?.status ?? {};
  if (!w) return { status: 'False', reason: 'Creating', message: 'NATS server not created yet' };
  const current = (st.observedGeneration ?? 0) >= (w.metadata.generation ?? 0);
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  if (current && ready >= desired && updated >= desired)
    return { status: 'True', reason: 'NatsDeployed', message: 'NATS deployment and service are configured' };
  return {
    status: 'False',
    reason: updated < desired ? 'Updating' : 'ServerNotReady',
    message: `${ready}/${desired} NATS servers ready`,
  };
}

export function computeStatus(s: StatusInputs): NonNullable<IpcConfig['status']> {
  const generation = s.ipc.metadata.generation ?? 0;
  const token = s.token;
  const wanted: DesiredCondition[] = [];
  wanted.push(
    token.kind === 'ready'
      ? { type: 'TokenReady', status: 'True', reason: 'SecretReady', message: `Secret "${token.ref.name}"` }
      : token.kind === 'pending'
        ? { type: 'TokenReady', status: 'Unknown', reason: 'Pending', message: token.message }
        : { type: 'TokenReady', status: 'False', reason: token.reason, message: token.message },
  );
  const server = s.managed ? serverState(s) : undefined;
  if (server) wanted.push({ type: 'ServerReady', ...server });
  let ready: DesiredCondition;
  if (token.kind !== 'ready')
    ready = {
      type: 'Ready',
      status: token.kind === 'pending' ? 'Unknown' : 'False',
      reason: token.kind === 'pending' ? 'Reconciling' : token.reason,
      message: token.message,
    };
  else if (s.problems.length > 0)
    ready = { type: 'Ready', status: 'False', reason: 'ChildRejected', message: s.problems.join('; ') };
  else if (server) ready = { type: 'Ready', ...server };
  else
    ready = {
      type: 'Ready',
      status: 'True',
      reason: 'ExternalNats',
      message: 'External NATS: modules use the host and token of the Secret',
    };
  wanted.unshift(ready);

  let conditions: Condition[] = (s.ipc.status?.conditions ?? []).filter((c) =>
    wanted.some((w) => w.type === c.type),
  );
  for (const condition of wanted)
    conditions = setCondition(conditions, { ...condition, observedGeneration: generation });
  const namespace = s.ipc.metadata.namespace ?? '';
  const url = s.managed
    ? `nats://${s.service}.${namespace}.svc:${NATS_PORTS.client}`
    : token.kind === 'ready'
      ? externalUrl(token.host)
      : undefined;
  return {
    observedGeneration: generation,
    conditions,
    ...(url ? { url } : {}),
    ...(token.kind === 'ready' ? { tokenSecretRef: { name: token.ref.name, key: token.ref.key } } : {}),
  };
}
