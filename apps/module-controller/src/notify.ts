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
  status: NonNullable<BotModule['status']>,
): Promise<void> {
  const after = status.phase;
  if (!after || before === after) return;
  const what = notable[after];
  if (!what) return;
  const message = status.conditions?.find((c) => c.type === 'Ready')?.message ?? after;
  // The first Ready after creation is already told by the Created Event: one API write less per module.
  const firstStart =
    after === 'Ready' && (before === undefined || before === 'Creating' || before === 'Pending');
  if (!firstStart) await ctx.events.record(owner, what.type, after, message);
  // Ready is always announced; after a rollout it is also "rolledout".
  const events: EventName[] =
    after === 'Ready' && before === 'Updating' ? ['ready', 'rolledout'] : [what.event];
  for (const event of events) ctx.bus?.announce('botmodule', owner, event, { reason: after, message });
}
