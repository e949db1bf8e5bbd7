// Kubernetes Events (events.k8s.io/v1) on the reconciled object for significant transitions. The same event
// for the same object is sent once per window, so a controller that re-states a fact does not flood the API.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeClient, KubeObject } from './kube-client.ts';
import { RESOURCES } from './resources.ts';
import type { Logger } from './logger.ts';

const eventType = RESOURCES.Event;

export class EventRecorder {
  private readonly client: KubeClient;
  private readonly controller: string;
  private readonly logger: Logger | undefined;
  private readonly windowMs: number;
  private readonly recent = new Map<string, number>();
  sent = 0;

  constructor(client: KubeClient, controller: string, options: { logger?: Logger; windowMs?: number } = {}) {
    this.client = client;
    this.controller = controller;
    this.logger = options.logger;
    this.windowMs = options.windowMs ?? 10 * 60_000;
  }

  /** Records an event; never throws (an Event is worth less than the reconcile that sends it). */
  async record(
    regarding: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    note: string,
    action = reason,
  ): Promise<void> {
    const key = `${regarding.metadata.uid ?? regarding.metadata.name}|${type}|${reason}|${note}`;
    const now = Date.now();
    const last = this.recent.get(key);
    if (last !== undefined && now - last < this.windowMs) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000)
      for (const [k, t] of this.recent) if (now - t >= this.windowMs) this.recent.delete(k);
    const namespace = regarding.metadata.namespace ?? 'default';
    try {
      await this.client.create(eventType, {
        apiVersion: eventType.apiVersion,
        kind: 'Event',
        metadata: { name: `${regarding.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
        eventTime: new Date(now).toISOString().replace('Z', '000Z'),
        reportingController: `eevee.bot/${this.controller}`,
        reportingInstance: `${this.controller}-${hostname()}`,
        action,
        reason,
        note: note.slice(0, 1024),
        type,
        regarding: {
          apiVersion: regarding.apiVersion,
          kind: regarding.kind,
          name: regarding.metadata.name,
          namespace: regarding.metadata.namespace,
          uid: regarding.metadata.uid,
          resourceVersion: regarding.metadata.resourceVersion,
        },
      });
      this.sent += 1;
    } catch (err) {
      this.logger?.warn('could not record event', { reason, error: (err as Error).message });
    }
  }
}
