// The control-plane events the ipc-controller publishes on a real nats-server: `changed` when what modules read
// (status url, token Secret) changes and only then, `ready` when the server is up. The module-controller takes
// `changed` as its hint to re-reconcile the modules using the IpcConfig (e2e/test/nats-wiring covers that side).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, eventSubscription } from '@eevee/crds';
import type { OperatorEvent } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import { eventually, startNats } from '@eevee/testenv';
import type { NatsServer } from '@eevee/testenv';
import { applyIpcConfig, isReady, startIpcController, waitForIpc } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
let nats: NatsServer;
let listener: NatsConnection;
let dir: string;
const events: OperatorEvent[] = [];

beforeAll(async () => {
  nats = await startNats();
  dir = await mkdtemp(join(tmpdir(), 'ipc-notify-'));
  await writeFile(join(dir, 'token'), nats.token);
  h = await startIpcController('ipcnotify', {
    EEVEE_EVENTS_NATS_URL: nats.url,
    EEVEE_EVENTS_NATS_TOKEN_FILE: join(dir, 'token'),
  });
  listener = await connect({ servers: nats.url, token: nats.token });
  listener.subscribe(eventSubscription('ipcconfig', h.ns.name), {
    callback: (_err, msg) => {
      const event = decodeEvent(msg.string());
      if (event) events.push(event);
    },
  });
  await listener.flush();
  // Events are hints published only while connected: wait for the controller's bus before the first change.
  await eventually(
    "the controller's event bus to connect",
    () => Promise.resolve(h.manager.bus?.connected ?? false),
    (c) => c,
  );
});

afterAll(async () => {
  await listener?.close();
  await h?.stop();
  await nats?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const seen = (event: OperatorEvent['event']) =>
  events.filter((e) => e.name === 'bot' && e.event === event).length;
const waitForEvent = (event: OperatorEvent['event'], count: number) =>
  eventually(
    `${count} "${event}" event(s) on eevee.operator.ipcconfig.${h.ns.name}.bot`,
    () => Promise.resolve(seen(event)),
    (n) => n >= count,
  );

describe('the ipc-controller on the event bus', () => {
  it('announces `changed` once the IpcConfig first publishes its url and Secret, and `ready` once the server is up', async () => {
    await applyIpcConfig(h, 'bot', {});
    await waitForIpc(h, 'bot', 'Ready', isReady);
    await waitForEvent('changed', 1);
    await waitForEvent('ready', 1);
    const changed = events.find((e) => e.event === 'changed')!;
    expect(changed).toMatchObject({ kind: 'ipcconfig', namespace: h.ns.name, name: 'bot' });
    expect(changed.generation).toBeGreaterThanOrEqual(1);
  });

  it('announces nothing `changed` when a spec change leaves the url and Secret as they were', async () => {
    const before = seen('changed');
    await applyIpcConfig(h, 'bot', { managed: { maxPayload: 4194304 } });
    await waitForIpc(h, 'bot', 'Ready with the new config', isReady);
    await sleep(1_500);
    expect(seen('changed')).toBe(before);
  });

  it('announces `changed` when the token Secret in status changes', async () => {
    const before = seen('changed');
    await applyIpcConfig(h, 'bot', {
      managed: { maxPayload: 4194304 },
      token: { secretKeyRef: { secret: { name: 'bot-token-2' } } },
    });
    const ipc = await waitForIpc(
      h,
      'bot',
      'publishing the new Secret',
      (i) => isReady(i) && i.status?.tokenSecretRef?.name === 'bot-token-2',
    );
    expect(ipc.status?.tokenSecretRef).toEqual({ name: 'bot-token-2', key: 'token' });
    await waitForEvent('changed', before + 1);
    const last = events.filter((e) => e.event === 'changed').at(-1)!;
    expect(last.generation).toBe(ipc.metadata.generation);
  });

  it('announces `changed` when the url changes (managed to an external NATS)', async () => {
    const before = seen('changed');
    await h.admin.apply(
      RESOURCES.Secret,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'external-nats', namespace: h.ns.name },
        stringData: { token: 'external-secret-token', host: 'nats.example.org' },
      },
      'test',
    );
    await applyIpcConfig(h, 'bot', {
      managed: { enabled: false },
      token: { generate: false, secretKeyRef: { secret: { name: 'external-nats' } } },
    });
    await waitForIpc(h, 'bot', 'the external url', (i) => i.status?.url === 'nats://nats.example.org:4222');
    await waitForEvent('changed', before + 1);
    // Hints carry names and reasons, never the token.
    expect(JSON.stringify(events)).not.toContain('external-secret-token');
  });
});
