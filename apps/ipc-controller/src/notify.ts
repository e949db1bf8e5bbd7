// Tells the world what changed: a NATS control-plane event `eevee.operator.ipcconfig.<ns>.<name>.changed` when
// what modules read (URL, token Secret) changes — the module-controller's hint to re-reconcile modules sooner —
// and `ready`/`unavailable` (with a Kubernetes Event) when readiness changes.
import type { IpcConfig } from '@eevee/crds';
import type { EventName } from '@eevee/crds';
import type { ControllerContext, KubeObject } from '@eevee/runtime';

type Status = NonNullable<IpcConfig['status']>;

const ready = (s: Status | undefined) => s?.conditions?.find((c) => c.type === 'Ready');

export async function publishChanges(
  ctx: ControllerContext<IpcConfig>,
  owner: KubeObject,
  before: Status | undefined,
  after: Status,
): Promise<void> {
  const events: EventName[] = [];
  if (
    before?.url !== after.url ||
    before?.tokenSecretRef?.name !== after.tokenSecretRef?.name ||
    before?.tokenSecretRef?.key !== after.tokenSecretRef?.key
  )
    events.push('changed');
  const was = ready(before);
  const now = ready(after);
  if (now && (was?.status !== now.status || was.reason !== now.reason)) {
    if (now.status === 'True') events.push('ready');
    else if (was?.status === 'True' || now.status === 'False') {
      events.push('unavailable');
      if (now.status === 'False') await ctx.events.record(owner, 'Warning', now.reason, now.message);
    }
  }
  for (const event of events)
    ctx.bus?.announce('ipcconfig', owner, event, { reason: now?.reason, message: now?.message });
}
