// The module-controller's one controller: BotModules, their children, and what they depend on.
import { LABELS, botModuleSchema, labelValue } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { RESOURCES, defineController, labelKeys } from '@eevee/runtime';
import type { ControllerContext, ControllerDefinition, KubeObject } from '@eevee/runtime';
import { reconcileBotModule } from './reconciler.ts';
import type { ModuleSettings } from './settings.ts';

type Ctx = ControllerContext<BotModule>;

/** BotModules in the object's namespace for which `uses(module)` holds. */
function modulesWhere(
  obj: KubeObject,
  ctx: Ctx,
  uses: (spec: Partial<BotModule['spec']>) => boolean,
): string[] {
  return ctx.primary
    .list(obj.metadata.namespace)
    .filter((m) =>
      uses(((m as KubeObject & { spec?: BotModule['spec'] }).spec ?? {}) as Partial<BotModule['spec']>),
    )
    .map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
}

export function botModuleController(settings: ModuleSettings): ControllerDefinition<unknown> {
  return defineController<BotModule>({
    name: 'botmodule',
    for: RESOURCES.BotModule,
    schema: botModuleSchema,
    owns: [
      RESOURCES.Deployment,
      RESOURCES.ConfigMap,
      RESOURCES.Service,
      RESOURCES.HorizontalPodAutoscaler,
      RESOURCES.PodDisruptionBudget,
    ],
    watches: [
      // PVCs outlive their BotModule, so they are matched by label, not ownerReference.
      { type: RESOURCES.PersistentVolumeClaim, keys: labelKeys('app.kubernetes.io/instance') },
      {
        type: RESOURCES.Pod,
        labelSelector: `${LABELS.app}=${LABELS.appValue}`,
        keys: (pod, ctx) =>
          modulesWhere(pod, ctx, () => true).filter(
            (k) => labelValue(k.split('/')[1]!) === pod.metadata.labels?.[LABELS.module],
          ),
      },
      {
        type: RESOURCES.IpcConfig,
        keys: (ipc, ctx) => modulesWhere(ipc, ctx, (s) => s.ipcConfig === ipc.metadata.name),
      },
      {
        type: RESOURCES.Secret,
        keys: (secret, ctx) =>
          modulesWhere(
            secret,
            ctx,
            (s) =>
              s.envSecret?.name === secret.metadata.name ||
              (s.mountOperatorApiToken === true &&
                secret.metadata.name === settings.EEVEE_OPERATOR_API_TOKEN_SECRET) ||
              s.ipcConfig !== undefined,
          ),
      },
      {
        type: RESOURCES.BackupRestore,
        keys: (restore) => [
          `${restore.metadata.namespace}/${(restore as KubeObject & { spec?: { botModule?: { name?: string } } }).spec?.botModule?.name ?? ''}`,
        ],
      },
    ],
    reconcile: reconcileBotModule(settings),
  });
}
