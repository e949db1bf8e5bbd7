// The last control-plane events the gateway saw on `eevee.operator.>` (and the restarts it asked for itself),
// newest first, for the status page and GET /api/v1/events. In memory only: a hint of recent activity, not a
// history (the Kubernetes Events on each object are that).
import type { OperatorEvent } from '@eevee/crds';

const keyOf = (e: OperatorEvent): string => `${e.kind}/${e.namespace}/${e.name}/${e.event}/${e.observedAt}`;

export class RecentEvents {
  private readonly capacity: number;
  private readonly serves: (namespace: string) => boolean;
  private items: OperatorEvent[] = [];
  private changes = 0;

  constructor(serves: (namespace: string) => boolean, capacity = 50) {
    this.serves = serves;
    this.capacity = capacity;
  }

  /** Changes whenever the list does (for memoized pages). */
  get version(): number {
    return this.changes;
  }

  /** Adds an event of a served namespace; the same event seen twice (ours, echoed by NATS) is kept once. */
  add(event: OperatorEvent): void {
    if (!this.serves(event.namespace)) return;
    const key = keyOf(event);
    if (this.items.some((e) => keyOf(e) === key)) return;
    this.items = [event, ...this.items].slice(0, this.capacity);
    this.changes += 1;
  }

  list(): readonly OperatorEvent[] {
    return this.items;
  }
}
