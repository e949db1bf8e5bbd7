// The realistic sample bot (crds/examples/sample-bot.yaml, 12 modules) converges to all modules Ready. The
// ipc-controller's and backup-controller's parts are played through their contracts: the IpcConfig status,
// the bootstrapped PVC annotation, the BackupRestore status.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CRDS_DIR } from '@eevee/crds';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import type { BotModuleObject, Harness } from './harness.ts';
import { markBootstrapped, publishIpcConfig, setRestorePhase, startModuleController } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startModuleController('sample');
});

afterAll(async () => {
  await h?.stop();
});

const types: Record<string, ResourceType> = {
  Secret: RESOURCES.Secret,
  IpcConfig: RESOURCES.IpcConfig,
  BotModule: RESOURCES.BotModule,
  S3Store: RESOURCES.S3Store,
  BackupSchedule: RESOURCES.BackupSchedule,
  BackupRestore: RESOURCES.BackupRestore,
};

it('converges the sample bot to all modules Ready', { timeout: 120_000 }, async () => {
  const docs = parseAllDocuments(readFileSync(join(CRDS_DIR, 'examples', 'sample-bot.yaml'), 'utf8')).map(
    (d) => d.toJSON() as KubeObject,
  );
  const modules = docs.filter((d) => d.kind === 'BotModule').map((d) => d.metadata.name);
  for (const doc of docs) {
    const type = types[doc.kind ?? ''];
    if (!type) continue; // the Namespace: the test has its own
    await h.admin.apply(type, { ...doc, metadata: { ...doc.metadata, namespace: h.ns.name } }, 'kubectl');
  }
  await publishIpcConfig(h, 'samplebot', 'samplebot-nats-auth');
  // The backup-controller's side: 'seen' bootstraps from a backup, 'tell' has a one-shot restore.
  await eventually(
    'the seen PVC',
    () => h.admin.get(RESOURCES.PersistentVolumeClaim, h.ns.name, 'eevee-seen-module-pvc'),
    () => true,
  );
  await markBootstrapped(h, 'seen');
  await setRestorePhase(h, 'tell-restore-001', 'Succeeded');

  const all = await eventually(
    'every module to be Ready',
    () => h.admin.list<BotModuleObject>(RESOURCES.BotModule, { namespace: h.ns.name }),
    (list) => list.items.length === modules.length && list.items.every((m) => m.status?.phase === 'Ready'),
    90_000,
  );
  expect(all.items.map((m) => m.metadata.name).sort()).toEqual([...modules].sort());
  const deployments = await h.admin.list(RESOURCES.Deployment, { namespace: h.ns.name });
  expect(deployments.items).toHaveLength(modules.length);
  const table = await h.cluster.kubectl(['get', 'botmodules', '-n', h.ns.name, '--no-headers']);
  expect(
    table
      .trim()
      .split('\n')
      .every((row) => /\sReady\s/.test(row)),
  ).toBe(true);
});
