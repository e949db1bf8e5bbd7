// The NATS control-plane event bus: typed publish/subscribe of the events in @eevee/crds. Events are hints that
// wake a controller sooner; correctness never depends on them. With no NATS configured, or NATS down, publish
// drops the event and the controller carries on from its Kubernetes watches. Reconnects forever.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeEvent, encodeEvent } from '@eevee/crds';
import type { EventKind, EventName, OperatorEvent } from '@eevee/crds';
import type { RuntimeConfig } from './config.ts';
import type { KubeObject } from './kube-client.ts';
import type { Logger } from './logger.ts';

export type EventHandler = (event: OperatorEvent) => void;

export class EventBus {
  private connection: NatsConnection | undefined;
  private closed = false;
  private readonly subscriptions: { subject: string; handler: EventHandler }[] = [];
  private readonly active: Subscription[] = [];
  private readonly url: string;
  private readonly token: string | undefined;
  private readonly logger: Logger | undefined;
  published = 0;
  dropped = 0;

  private constructor(url: string, token: string | undefined, logger: Logger | undefined) {
    this.url = url;
    this.token = token;
    this.logger = logger;
  }

  /** Starts connecting in the background; never throws for an unreachable server. */
  static async start(options: {
    url: string;
    token?: string;
    tokenFile?: string;
    logger?: Logger;
  }): Promise<EventBus> {
    const token =
      options.token ?? (options.tokenFile ? (await readFile(options.tokenFile, 'utf8')).trim() : undefined);
    const bus = new EventBus(options.url, token, options.logger);
    void bus.connectLoop();
    return bus;
  }

  /** The bus the runtime settings ask for (EEVEE_EVENTS_NATS_URL, _TOKEN_FILE), or none when no URL is set. */
  static async fromConfig(
    config: Pick<RuntimeConfig, 'EEVEE_EVENTS_NATS_URL' | 'EEVEE_EVENTS_NATS_TOKEN_FILE'>,
    logger?: Logger,
  ): Promise<EventBus | undefined> {
    if (!config.EEVEE_EVENTS_NATS_URL) return undefined;
    return EventBus.start({
      url: config.EEVEE_EVENTS_NATS_URL,
      ...(config.EEVEE_EVENTS_NATS_TOKEN_FILE ? { tokenFile: config.EEVEE_EVENTS_NATS_TOKEN_FILE } : {}),
      ...(logger ? { logger } : {}),
    });
  }

  get connected(): boolean {
    return this.connection !== undefined && !this.connection.isClosed();
  }

  publish(event: OperatorEvent): void {
    if (!this.connection || this.connection.isClosed()) {
      this.dropped += 1;
      return;
    }
    try {
      const { subject, data } = encodeEvent(event);
      this.connection.publish(subject, data);
      this.published += 1;
    } catch (err) {
      this.dropped += 1;
      this.logger?.warn('could not publish event', { error: (err as Error).message });
    }
  }

  /** Announces `event` about `obj`: its kind, namespace, name and generation, observed now. */
  announce(
    kind: EventKind,
    obj: KubeObject,
    event: EventName,
    details: { reason?: string | undefined; message?: string | undefined } = {},
  ): void {
    this.publish({
      kind,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name,
      event,
      generation: obj.metadata.generation ?? 0,
      observedAt: new Date().toISOString(),
      ...(details.reason !== undefined ? { reason: details.reason } : {}),
      ...(details.message !== undefined ? { message: details.message } : {}),
    });
  }

  /** Subscribes now and after every (re)connection; malformed messages are ignored. */
  subscribe(subject: string, handler: EventHandler): void {
    this.subscriptions.push({ subject, handler });
    if (this.connection) this.attach(this.connection, subject, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.drain().catch(() => undefined);
  }

  private async connectLoop(): Promise<void> {
    let delay = 500;
    while (!this.closed) {
      try {
        const nc = await connect({
          servers: this.url,
          ...(this.token ? { token: this.token } : {}),
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          name: 'eevee-operator',
        });
        this.connection = nc;
        for (const { subject, handler } of this.subscriptions) this.attach(nc, subject, handler);
        this.logger?.info('connected to NATS for control-plane events');
        const closed = await nc.closed();
        this.connection = undefined;
        if (closed) this.logger?.warn('NATS connection closed', { error: closed.message });
      } catch (err) {
        this.logger?.warn('NATS unavailable; events disabled until it is back', {
          error: (err as Error).message,
        });
      }
      if (this.closed) return;
      await sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }

  private attach(nc: NatsConnection, subject: string, handler: EventHandler): void {
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        const event = decodeEvent(msg.string());
        if (event) handler(event);
      },
    });
    this.active.push(sub);
  }
}
