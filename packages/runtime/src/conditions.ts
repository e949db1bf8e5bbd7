// metav1.Condition handling as apimachinery's meta.SetStatusCondition: lastTransitionTime changes only when
// the status changes, so re-stating the same condition writes nothing.
import type { Condition } from '@eevee/crds';

export type { Condition };
export type ConditionStatus = Condition['status'];
export type DesiredCondition = Omit<Condition, 'lastTransitionTime' | 'message'> & { message?: string };

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The condition list with `next` set; the old lastTransitionTime is kept when the status did not change. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: DesiredCondition,
  at: string = now(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const condition: Condition = {
    type: next.type,
    status: next.status,
    reason: next.reason,
    message: next.message ?? '',
    lastTransitionTime: previous && previous.status === next.status ? previous.lastTransitionTime : at,
    ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}),
  };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

const make =
  (type: string) =>
  (
    status: boolean | ConditionStatus,
    reason: string,
    message = '',
    observedGeneration?: number,
  ): DesiredCondition => ({
    type,
    status: typeof status === 'boolean' ? (status ? 'True' : 'False') : status,
    reason,
    message,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  });

export const readyCondition = make('Ready');
export const progressingCondition = make('Progressing');
export const degradedCondition = make('Degraded');
