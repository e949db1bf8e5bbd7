// Cross-controller flows, with the other controllers' side played by the test through their contract
// (IpcConfig status, BackupRestore status, the PVC annotation): NATS that appears later, bootstrap from
// backup, a restore holding the module at 0 replicas, NATS control-plane events (and the ipc-controller's
// `changed` hint, which re-reconciles the modules using an IpcConfig).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, eventSubscription } from '@eevee/crds';
import type { OperatorEvent } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import { eventually, startNats } from '@eevee/testenv';
import type { NatsServer } from '@eevee/testenv';
import type { Harness } from './harness.ts';
import {
  botModule,
  deploymentOf,
  getModule,
  markBootstrapped,
  publishIpcConfig,
  setRestorePhase,
  startModuleController,
  waitForPhase,
} from './harness.ts';

let h: Harness;
let nats: NatsServer;
let listener: NatsConnection;
const events: OperatorEvent[] = [];

beforeAll(async () => {
  nats = await startNats();
  const tokenFile = join(await mkdtemp(join(tmpdir(), 'nats-token-')), 'token');
  await writeFile(tokenFile, nats.token);
  h = await startModuleController('lifecycle', {
    EEVEE_EVENTS_NATS_URL: nats.url,
    EEVEE_EVENTS_NATS_TOKEN_FILE: tokenFile,
  });
  listener = await connect({ servers: nats.url, token: nats.token });
  listener.subscribe(eventSubscription('botmodule', h.ns.name), {
    callback: (_err, msg) => {
      const event = decodeEvent(msg.string());
      if (event) events.push(event);
    },
  });
});

afterAll(async () => {
  await listener?.close();
  await h?.stop();
  await nats?.stop();
});

const restore = (name: string, module: string) => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BackupRestore',
  metadata: { name, namespace: h.ns.name },
  spec: {
    botModule: { name: module },
    s3Store: { name: 'offsite' },
    image: 'ghcr.io/eeveebot/backupjob:latest',
  },
});

describe('module lifecycle across controllers', () => {
  it('waits for an IpcConfig that does not exist yet, then starts when it is published', async () => {
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'router', {
        moduleName: 'router',
        image: 'ghcr.io/eeveebot/router:2.6.2',
        ipcConfig: 'later',
      }),
    );
    const pending = await waitForPhase(h, 'router', 'Pending');
    expect(pending.status?.conditions?.find((c) => c.type === 'IpcReady')).toMatchObject({
      status: 'False',
      reason: 'IpcConfigNotReady',
    });
    await expect(deploymentOf(h, 'router')).rejects.toMatchObject({ code: 404 });
    await publishIpcConfig(h, 'later', 'later-nats');
    const ready = await waitForPhase(h, 'router', 'Ready');
    expect(ready.status?.conditions?.find((c) => c.type === 'IpcReady')).toMatchObject({
      status: 'True',
      reason: 'IpcConfigReady',
    });
    await eventually(
      'a ready event on NATS',
      () => Promise.resolve(events),
      (e) => e.some((x) => x.name === 'router' && x.event === 'ready'),
    );
  });

  it("re-reconciles on the ipc-controller's `changed` hint for an IpcConfig its modules use, and not for others", async () => {
    const reconciles = () => h.manager.controllers[0]!.reconciles;
    const announce = (ipc: string) => {
      const { subject, data } = encodeEvent({
        kind: 'ipcconfig',
        namespace: h.ns.name,
        name: ipc,
        event: 'changed',
        generation: 1,
        observedAt: new Date().toISOString(),
      });
      listener.publish(subject, data);
    };
    // Quiet first: no watch event in flight, so what follows is the hint's doing alone.
    let settled = -1;
    await eventually(
      'the module-controller to go quiet',
      async () => {
        const before = reconciles();
        await sleep(1_000);
        return before === reconciles() ? (settled = before) : -1;
      },
      (n) => n >= 0,
    );
    announce('unused');
    await listener.flush();
    await sleep(1_000);
    expect(reconciles()).toBe(settled);
    announce('later');
    await eventually(
      'router to be re-reconciled',
      () => Promise.resolve(reconciles()),
      (n) => n > settled,
    );
  });

  it('bootstraps from backup: no Deployment until the backup-controller marks the volume restored', async () => {
    await h.admin.create(
      RESOURCES.BotModule,
      botModule(h, 'seen', {
        moduleName: 'seen',
        image: 'ghcr.io/eeveebot/seen:1.6.4',
        ipcConfig: 'later',
        persistentVolumeClaim: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
        bootstrapFromBackup: { s3Store: { name: 'offsite' } },
      }),
    );
    const waiting = await waitForPhase(h, 'seen', 'WaitingForBackup');
    expect(waiting.status?.conditions?.find((c) => c.type === 'Bootstrapped')).toMatchObject({
      status: 'False',
      reason: 'WaitingForBackup',
    });
    await h.admin.get(RESOURCES.PersistentVolumeClaim, h.ns.name, 'eevee-seen-module-pvc'); // the volume exists to restore into
    await eventually(
      'a waitingforbackup event',
      () => Promise.resolve(events),
      (e) => e.some((x) => x.name === 'seen' && x.event === 'waitingforbackup'),
    );

    await h.admin.create(RESOURCES.BackupRestore, restore('seen-bootstrap', 'seen'));
    await setRestorePhase(h, 'seen-bootstrap', 'Running');
    await waitForPhase(h, 'seen', 'Bootstrapping');
    await setRestorePhase(h, 'seen-bootstrap', 'Failed');
    const failed = await waitForPhase(h, 'seen', 'BootstrapRestoreFailed');
    expect(failed.status?.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True' });
    await expect(deploymentOf(h, 'seen')).rejects.toMatchObject({ code: 404 });

    await markBootstrapped(h, 'seen');
    const ready = await waitForPhase(h, 'seen', 'Ready');
    expect(ready.status?.conditions?.find((c) => c.type === 'Bootstrapped')).toMatchObject({
      status: 'True',
      reason: 'Restored',
    });
  });

  it('holds a running module at 0 replicas while a restore of its volume runs', async () => {
    await h.admin.create(RESOURCES.BackupRestore, restore('seen-manual', 'seen'));
    await eventually(
      'the module to be held at 0',
      () => deploymentOf(h, 'seen'),
      (d) => d.spec.replicas === 0,
    );
    // The Deployment is applied before the status is written, so the status may trail it by one write.
    const held = await eventually(
      'the module to report not Ready while held',
      () => getModule(h, 'seen'),
      (m) => m.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False',
    );
    expect(held.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False' });
    await setRestorePhase(h, 'seen-manual', 'Succeeded');
    await eventually(
      'the module to come back',
      () => deploymentOf(h, 'seen'),
      (d) => d.spec.replicas === 1,
    );
    await waitForPhase(h, 'seen', 'Ready');
  });

  it('refuses an invalid BotModule at admission', async () => {
    await expect(
      h.admin.create(RESOURCES.BotModule, botModule(h, 'bad', { moduleName: 'bad', image: 'x:1', size: -1 })),
    ).rejects.toMatchObject({ code: 422 });
  });
});
