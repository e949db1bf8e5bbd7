// The module-controller's one controller: BotModules, their children, and what they depend on.
import { LABELS, botModuleSchema, eventSubscription, labelValue } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import { RESOURCES, applies, appliesAndPrunes, defineController, writesStatus } from '@eevee/runtime';
import type { ControllerContext, ControllerDefinition, KubeObject } from '@eevee/runtime';
import { MODULE_PODS, MODULE_POD_SELECTOR } from './pods.ts';
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

/**
 * The BotModule a child's label names. Label values are the name itself up to 63 characters (a direct
 * lookup, O(1) per event even with thousands of modules); longer names are hashed, and only then scanned.
 */
function moduleByLabel(obj: KubeObject, label: string, ctx: Ctx): string[] {
  const value = obj.metadata.labels?.[label];
  if (!value) return [];
  if (value.length < 63) return [`${obj.metadata.namespace}/${value}`];
  return modulesWhere(obj, ctx, () => true).filter((k) => labelValue(k.split('/')[1]!) === value);
}

/** The NATS Secret an IpcConfig publishes in its status, so a Secret change wakes only the modules using it. */
function natsSecretOf(obj: KubeObject, ctx: Ctx, ipcConfig: string | undefined): string | undefined {
  if (!ipcConfig) return undefined;
  const ipc = ctx.cache(RESOURCES.IpcConfig).get(obj.metadata.namespace, ipcConfig);
  return (ipc?.status as { tokenSecretRef?: { name?: string } } | undefined)?.tokenSecretRef?.name;
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
      {
        type: RESOURCES.PersistentVolumeClaim,
        keys: (pvc, ctx) => moduleByLabel(pvc, 'app.kubernetes.io/instance', ctx),
      },
      {
        type: MODULE_PODS,
        labelSelector: MODULE_POD_SELECTOR,
        keys: (pod, ctx) => moduleByLabel(pod, LABELS.module, ctx),
      },
      {
        type: RESOURCES.IpcConfig,
        keys: (ipc, ctx) => modulesWhere(ipc, ctx, (s) => s.ipcConfig === ipc.metadata.name),
      },
      {
        type: RESOURCES.SecretMetadata,
        keys: (secret, ctx) =>
          modulesWhere(
            secret,
            ctx,
            (s) =>
              s.envSecret?.name === secret.metadata.name ||
              (s.mountOperatorApiToken === true &&
                secret.metadata.name === settings.EEVEE_OPERATOR_API_TOKEN_SECRET) ||
              natsSecretOf(secret, ctx, s.ipcConfig) === secret.metadata.name,
          ),
      },
      {
        type: RESOURCES.BackupRestore,
        keys: (restore) => [
          `${restore.metadata.namespace}/${(restore as KubeObject & { spec?: { botModule?: { name?: string } } }).spec?.botModule?.name ?? ''}`,
        ],
      },
    ],
    // The ipc-controller announces a changed URL or token Secret; the IpcConfig watch would get there too.
    eventHints: [
      {
        subject: eventSubscription('ipcconfig'),
        keys: (event, ctx) =>
          event.event === 'changed'
            ? ctx.primary
                .list(event.namespace)
                .filter(
                  (m) => (m as KubeObject & { spec?: BotModule['spec'] }).spec?.ipcConfig === event.name,
                )
                .map((m) => `${m.metadata.namespace}/${m.metadata.name}`)
            : [],
      },
    ],
    calls: [
      ...writesStatus(RESOURCES.BotModule),
      ...appliesAndPrunes(
        RESOURCES.Deployment,
        RESOURCES.ConfigMap,
        RESOURCES.Service,
        RESOURCES.HorizontalPodAutoscaler,
        RESOURCES.PodDisruptionBudget,
      ),
      // The module's data outlives it: applied, never pruned (reconciler.ts).
      ...applies(RESOURCES.PersistentVolumeClaim),
    ],
    reconcile: reconcileBotModule(settings),
  });
}
