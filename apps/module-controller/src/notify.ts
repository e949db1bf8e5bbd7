// Tells the world about lifecycle transitions: a Kubernetes Event on the BotModule and a NATS control-plane
// event (eevee.operator.botmodule.<ns>.<name>.<event>) for other controllers and for admin modules in chat.
import type { BotModule, BotModulePhase, EventName } from '@eevee/crds';
import type { ControllerContext, KubeObject } from '@eevee/runtime';

const notable: Partial<Record<BotModulePhase, { event: EventName; type: 'Normal' | 'Warning' }>> = {
  Ready: { event: 'ready', type: 'Normal' },
  Unavailable: { event: 'unavailable', type: 'Warning' },
  WaitingForBackup: { event: 'waitingforbackup', type: 'Normal' },
  BootstrapRestoreFailed: { event: 'unavailable', type: 'Warning' },
};

export async function publishTransition(
  ctx: ControllerContext<BotModule>,
  owner: KubeObject,
  before: BotModulePhase | undefined,
  after: BotModulePhase,
): Promise<void> {
  if (before === after) return;
  const what = notable[after];
  if (!what) return;
  // Ready after a rollout is "rolledout"; Ready for the first time (or again after an outage) is "ready".
  const event: EventName = after === 'Ready' && before === 'Updating' ? 'rolledout' : what.event;
  const status = owner.status as BotModule['status'];
  const message = status?.conditions?.find((c) => c.type === 'Ready')?.message;
  await ctx.events.record(owner, what.type, after, message ?? after);
  ctx.bus?.publish({
    kind: 'botmodule',
    namespace: owner.metadata.namespace ?? '',
    name: owner.metadata.name,
    event,
    generation: owner.metadata.generation ?? 0,
    observedAt: new Date().toISOString(),
    reason: after,
    ...(message ? { message } : {}),
  });
}
