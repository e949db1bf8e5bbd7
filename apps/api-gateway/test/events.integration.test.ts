// NATS control-plane events: a restart publishes eevee.operator.botmodule.<ns>.<name>.restart.requested (the
// payload validated by @eevee/crds), and events other controllers publish appear in the gateway's "last events"
// (API and status page), for its own namespaces only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeEvent, encodeEvent } from '@eevee/crds';
import type { OperatorEvent } from '@eevee/crds';
import { eventually, startNats } from '@eevee/testenv';
import type { NatsServer } from '@eevee/testenv';
import type { Harness } from './harness.ts';
import { applyModule, call, eventuallyAnswers, startGatewayHarness } from './harness.ts';

let nats: NatsServer;
let client: NatsConnection;
let h: Harness;
let dir: string;
const received: { subject: string; event: OperatorEvent | undefined }[] = [];

beforeAll(async () => {
  nats = await startNats();
  dir = mkdtempSync(join(tmpdir(), 'gw-nats-'));
  writeFileSync(join(dir, 'token'), `${nats.token}\n`);
  h = await startGatewayHarness('gwevents', {
    EEVEE_EVENTS_NATS_URL: nats.url,
    EEVEE_EVENTS_NATS_TOKEN_FILE: join(dir, 'token'),
  });
  await applyModule(h.admin, h.ns.name, 'echo');
  client = await connect({ servers: nats.url, token: nats.token });
  client.subscribe('eevee.operator.>', {
    callback: (_err, msg) => {
      received.push({ subject: msg.subject, event: decodeEvent(msg.string()) });
    },
  });
  await client.flush();
  await eventually(
    'the gateway on NATS',
    () => Promise.resolve(h.gateway.bus?.connected ?? false),
    (c) => c,
    15_000,
  );
});

afterAll(async () => {
  await client?.close();
  await h?.stop();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('publishes restart.requested when it restarts a module', async () => {
  await eventuallyAnswers<{ items: { name: string }[] }>(h.url, '/api/v1/botmodules', 'echo cached', (b) =>
    b.items.some((m) => m.name === 'echo'),
  );
  const answer = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, {
    method: 'POST',
  });
  expect(answer.status).toBe(202);
  expect(answer.body).toMatchObject({ eventPublished: true });
  const { restartedAt } = answer.body as { restartedAt: string };
  const message = await eventually(
    'the restart event on NATS',
    () => Promise.resolve(received.find((r) => r.subject.endsWith('.restart.requested'))),
    (r) => r !== undefined,
    10_000,
  );
  expect(message?.subject).toBe(`eevee.operator.botmodule.${h.ns.name}.echo.restart.requested`);
  expect(message?.event).toMatchObject({
    kind: 'botmodule',
    namespace: h.ns.name,
    name: 'echo',
    event: 'restart.requested',
    observedAt: restartedAt,
    reason: 'RestartRequested',
  });
});

it('keeps the latest events of its namespaces for the API and the status page', async () => {
  const event = (namespace: string, name: string, kind: OperatorEvent['event']): OperatorEvent => ({
    kind: 'botmodule',
    namespace,
    name,
    event: kind,
    generation: 2,
    observedAt: new Date().toISOString(),
    message: `${name} <b>${kind}</b>`,
  });
  for (const e of [event(h.ns.name, 'echo', 'rolledout'), event('some-other-namespace', 'spy', 'ready')]) {
    const { subject, data } = encodeEvent(e);
    client.publish(subject, data);
  }
  // A malformed message is ignored, not shown.
  client.publish(`eevee.operator.botmodule.${h.ns.name}.echo.ready`, '{"not":"an event"}');
  await client.flush();
  const { items } = await eventuallyAnswers<{ items: OperatorEvent[] }>(
    h.url,
    '/api/v1/events',
    'rolledout listed',
    (b) => b.items.some((e) => e.event === 'rolledout'),
  );
  expect(items.map((e) => `${e.name} ${e.event}`)).toEqual(['echo rolledout', 'echo restart.requested']);
  const page = await call(h.url, '/', { token: null, headers: { accept: 'text/html' } });
  expect(page.text).toContain('rolledout');
  expect(page.text).toContain('echo &lt;b&gt;rolledout&lt;/b&gt;');
  expect(page.text).not.toContain('spy');
});
