// The NATS event bus against a real nats-server: typed events round-trip; malformed messages are ignored; with
// NATS unreachable, publishing drops the hint without throwing (controllers work from watches alone).
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, freePort, startNats } from '@eevee/testenv';
import type { NatsServer } from '@eevee/testenv';
import { eventSubscription } from '@eevee/crds';
import type { OperatorEvent } from '@eevee/crds';
import { EventBus } from '../src/index.ts';

let nats: NatsServer;

beforeAll(async () => {
  nats = await startNats();
});

afterAll(async () => {
  await nats?.stop();
});

const event: OperatorEvent = {
  kind: 'botmodule',
  namespace: 'eevee-bot',
  name: 'echo',
  event: 'ready',
  generation: 2,
  observedAt: '2026-11-23T10:00:00Z',
};

it('delivers typed events to subscribers and ignores malformed messages', async () => {
  const bus = await EventBus.start({ url: nats.url, token: nats.token });
  const received: OperatorEvent[] = [];
  bus.subscribe(eventSubscription('botmodule'), (e) => received.push(e));
  await eventually('the bus to connect', () => Promise.resolve(bus.connected), Boolean, 10_000);
  const raw = await connect({ servers: nats.url, token: nats.token });
  raw.publish('eevee.operator.botmodule.eevee-bot.echo.ready', '{"not":"an event"}');
  await raw.flush();
  bus.publish(event);
  await eventually(
    'the event to arrive',
    () => Promise.resolve(received),
    (r) => r.length >= 1,
  );
  expect(received).toEqual([event]);
  await raw.close();
  await bus.close();
});

it('drops events without failing when NATS is unreachable', async () => {
  const bus = await EventBus.start({ url: `nats://127.0.0.1:${await freePort()}` });
  expect(() => bus.publish(event)).not.toThrow();
  expect(bus.dropped).toBe(1);
  expect(bus.connected).toBe(false);
  await bus.close();
});
