// A real nats-server with token auth: messages round-trip for the right token, the wrong one is refused.
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNats } from '../src/index.ts';
import type { NatsServer } from '../src/index.ts';

let nats: NatsServer;

beforeAll(async () => {
  nats = await startNats();
});

afterAll(async () => {
  await nats?.stop();
});

it('publishes and subscribes with token auth', async () => {
  expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  const nc = await connect({ servers: nats.url, token: nats.token });
  try {
    const sub = nc.subscribe('eevee.operator.botmodule.default.echo.ready', { max: 1 });
    const received = (async () => {
      for await (const msg of sub) return msg.json<{ name: string }>();
      return undefined;
    })();
    nc.publish('eevee.operator.botmodule.default.echo.ready', JSON.stringify({ name: 'echo' }));
    await expect(received).resolves.toEqual({ name: 'echo' });
  } finally {
    await nc.close();
  }
});

it('refuses a wrong token', async () => {
  await expect(connect({ servers: nats.url, token: 'not-the-token', reconnect: false })).rejects.toThrow(
    /authorization/i,
  );
});
