// BotModules that start from a backup: woken by the module (its phase), its restores, and its store.
import { botModuleSchema } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { RESOURCES, defineController } from '@eevee/runtime';
import type { ControllerDefinition, KubeObject } from '@eevee/runtime';
import { reconcileBootstrap } from './reconciler.ts';

export function bootstrapController(): ControllerDefinition<unknown> {
  return defineController<BotModule>({
    name: 'bootstrap',
    for: RESOURCES.BotModule,
    schema: botModuleSchema,
    watches: [
      {
        type: RESOURCES.BackupRestore,
        keys: (restore) => {
          const module = (restore as KubeObject & { spec?: { botModule?: { name?: string } } }).spec
            ?.botModule?.name;
          return module ? [`${restore.metadata.namespace}/${module}`] : [];
        },
      },
      {
        type: RESOURCES.S3Store,
        keys: (store, ctx) =>
          ctx.primary
            .list(store.metadata.namespace)
            .filter(
              (m) =>
                (m as KubeObject & { spec?: Partial<BotModule['spec']> }).spec?.bootstrapFromBackup?.s3Store
                  .name === store.metadata.name,
            )
            .map((m) => `${m.metadata.namespace}/${m.metadata.name}`),
      },
    ],
    // It never writes the BotModule (the module-controller does): it finds the newest backup with the store's
    // credentials and asks for a restore of it.
    calls: [
      { type: RESOURCES.Secret, verbs: ['get'] },
      { type: RESOURCES.BackupRestore, verbs: ['create'] },
    ],
    reconcile: reconcileBootstrap(),
  });
}
