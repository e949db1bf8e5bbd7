// Bootstraps a new module from its latest backup. The module-controller decides that a module waits (phase
// WaitingForBackup: bootstrapFromBackup set, its volume not yet marked bootstrapped, no Deployment yet); this
// controller then looks for the newest backup and creates a BackupRestore for it, and the restore flow does the
// rest (it marks the volume, and the module-controller starts the module). No backup yet: an Event says so and
// the store is looked at again later.
import { EFFECTIVE_DEFAULTS, boundedName } from '@eevee/crds';
import type { BackupRestore, BotModule } from '@eevee/crds';
import { RESOURCES, controllerReference, isConflict } from '@eevee/runtime';
import type { ControllerContext, KubeObject, ReconcileResult, Request } from '@eevee/runtime';
import { newestBackup } from '../store-access.ts';

type Ctx = ControllerContext<BotModule>;

/** How often a waiting module's store is looked at again for a first backup. */
const LOOK_AGAIN_MS = 5 * 60_000;
const FINISHED = new Set(['Succeeded', 'Failed', 'NoBackupsFound', 'BotModuleNotFound']);

export function reconcileBootstrap() {
  return async ({ namespace, name }: Request, ctx: Ctx): Promise<ReconcileResult | void> => {
    const owner = ctx.primary.get(namespace, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    const parsed = ctx.primary.getTyped(namespace, name);
    if (!parsed?.success) return;
    const module = parsed.data;
    const from = module.spec.bootstrapFromBackup;
    if (!from || module.status?.phase !== 'WaitingForBackup') return;
    const ns = namespace ?? '';
    // One bootstrap at a time; a failed one is reported by the module (BootstrapRestoreFailed), not retried here.
    const restores = (
      ctx.cache(RESOURCES.BackupRestore).list(ns) as (KubeObject & Partial<BackupRestore>)[]
    ).filter((r) => r.spec?.botModule.name === name);
    if (restores.some((r) => !FINISHED.has(r.status?.phase ?? 'Pending') || r.status?.phase === 'Failed'))
      return;

    const found = await newestBackup(ctx, ns, from.s3Store.name, module.spec.moduleName);
    if (!found.ok) {
      await ctx.events.record(
        owner,
        'Warning',
        'BootstrapWaiting',
        `Cannot look for a backup: ${found.message}`,
      );
      return { requeueAfterMs: 60_000 };
    }
    const latest = found.backup;
    if (!latest) {
      await ctx.events.record(
        owner,
        'Normal',
        'NoBackupFound',
        `No backup of module "${module.spec.moduleName}" in S3Store "${from.s3Store.name}" yet; looking again every ${LOOK_AGAIN_MS / 60_000} minutes`,
      );
      return { requeueAfterMs: LOOK_AGAIN_MS };
    }
    const restoreName = boundedName(`${name}-bootstrap-${latest.id.slice(0, 8)}`, 253);
    try {
      await ctx.client.create(RESOURCES.BackupRestore, {
        apiVersion: 'eevee.bot/v1',
        kind: 'BackupRestore',
        metadata: { name: restoreName, namespace: ns, ownerReferences: [controllerReference(owner)] },
        spec: {
          botModule: { name },
          s3Store: { name: from.s3Store.name },
          image: from.image ?? EFFECTIVE_DEFAULTS.backupImage,
          ...(from.imagePullPolicy ? { imagePullPolicy: from.imagePullPolicy } : {}),
          backupId: latest.id,
        },
      });
    } catch (err) {
      if (isConflict(err)) return; // created meanwhile; the watch brings it
      throw new Error(`creating BackupRestore ${restoreName}: ${(err as Error).message}`, { cause: err });
    }
    await ctx.events.record(
      owner,
      'Normal',
      'BootstrapStarted',
      `Restoring backup ${latest.id} (${latest.lastModified.toISOString()}) with BackupRestore ${restoreName}`,
    );
  };
}
