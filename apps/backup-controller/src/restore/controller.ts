// BackupRestores: woken by their Jobs, by the module's pods going away, and by the module and store they name.
import { LABELS, backupRestoreSchema } from '@eevee/crds';
import type { BackupRestore } from '@eevee/crds';
import { RESOURCES, applies, defineController, writesStatus } from '@eevee/runtime';
import type { ControllerContext, ControllerDefinition, KubeObject } from '@eevee/runtime';
import { MODULE_PODS, MODULE_POD_SELECTOR, RUNNER_PODS, RUNNER_POD_SELECTOR } from '../pods.ts';
import { reconcileBackupRestore } from './reconciler.ts';

/** Restores in the object's namespace whose spec matches. */
function restoresWhere(
  obj: KubeObject,
  ctx: ControllerContext<BackupRestore>,
  matches: (spec: Partial<BackupRestore['spec']>) => boolean,
): string[] {
  return ctx.primary
    .list(obj.metadata.namespace)
    .filter((r) => matches((r as { spec?: Partial<BackupRestore['spec']> }).spec ?? {}))
    .map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
}

export function backupRestoreController(): ControllerDefinition<unknown> {
  return defineController<BackupRestore>({
    name: 'backuprestore',
    for: RESOURCES.BackupRestore,
    schema: backupRestoreSchema,
    owns: [RESOURCES.Job],
    watches: [
      {
        type: MODULE_PODS,
        labelSelector: MODULE_POD_SELECTOR,
        keys: (pod, ctx) =>
          restoresWhere(pod, ctx, (s) => s.botModule?.name === pod.metadata.labels?.[LABELS.module]),
      },
      {
        type: RESOURCES.BotModule,
        keys: (module, ctx) => restoresWhere(module, ctx, (s) => s.botModule?.name === module.metadata.name),
      },
      {
        type: RESOURCES.S3Store,
        keys: (store, ctx) => restoresWhere(store, ctx, (s) => s.s3Store?.name === store.metadata.name),
      },
    ],
    caches: [
      { type: RESOURCES.PersistentVolumeClaim },
      { type: RUNNER_PODS, labelSelector: RUNNER_POD_SELECTOR },
    ],
    calls: [
      ...writesStatus(RESOURCES.BackupRestore),
      // A restore Job runs once and stays for its logs (its TTL removes it): applied, never pruned.
      ...applies(RESOURCES.Job),
      // The bootstrapped annotation on the restored volume.
      { type: RESOURCES.PersistentVolumeClaim, verbs: ['patch'] },
      // The store's credentials, only to find the newest backup (store-access.ts).
      { type: RESOURCES.Secret, verbs: ['get'] },
    ],
    reconcile: reconcileBackupRestore(),
  });
}
