// What a module's desired state depends on besides its own spec, read from the caches only: the IpcConfig's
// published NATS Secret, the resourceVersions of the Secrets its pods read, restores in progress, and the
// bootstrap state the backup-controller writes (PVC annotation, BackupRestore status).
import { ANNOTATIONS, moduleObjectNames } from '@eevee/crds';
import type { BackupRestore, BotModule, IpcConfig } from '@eevee/crds';
import { RESOURCES, hashOf, isTrue } from '@eevee/runtime';
import type { ControllerContext, KubeObject } from '@eevee/runtime';
import type { NatsSecretRef } from './desired/deployment.ts';
import { podsOf } from './pods.ts';
import type { PodSummary } from './pods.ts';
import type { ModuleSettings } from './settings.ts';

export type IpcState =
  | { kind: 'none' }
  | { kind: 'missing'; message: string }
  | { kind: 'unpublished'; message: string }
  | { kind: 'published'; ready: boolean; ref: NatsSecretRef; message: string };

export type BootstrapState =
  { kind: 'none' } | { kind: 'done' } | { kind: 'waiting' | 'restoring' | 'failed'; message: string };

export interface ModuleInputs {
  ipc: IpcState;
  configHash: string;
  /** A BackupRestore of this module that is not finished: hold the module at 0 replicas. */
  restoreInProgress: string | undefined;
  bootstrap: BootstrapState;
  pods: PodSummary[];
}

type Ctx = ControllerContext<BotModule>;

export function ipcState(ctx: Ctx, module: BotModule): IpcState {
  const name = module.spec.ipcConfig;
  if (!name) return { kind: 'none' };
  const ipc = ctx.cache(RESOURCES.IpcConfig).get(module.metadata.namespace, name) as
    (KubeObject & Partial<IpcConfig>) | undefined;
  if (!ipc) return { kind: 'missing', message: `IpcConfig "${name}" not found` };
  const ref = ipc.status?.tokenSecretRef;
  if (!ref)
    return { kind: 'unpublished', message: `IpcConfig "${name}" has not published its NATS Secret yet` };
  const ready = isTrue(ipc.status?.conditions, 'Ready');
  return {
    kind: 'published',
    ready,
    ref: { name: ref.name, tokenKey: ref.key },
    message: ready ? `IpcConfig "${name}" is ready` : `IpcConfig "${name}" is not ready`,
  };
}

/** Names of the Secrets the module's pods read (env from envSecret, the NATS token, the API token). */
export function secretsRead(module: BotModule, ipc: IpcState, settings: ModuleSettings): string[] {
  const names = new Set<string>();
  if (module.spec.envSecret) names.add(module.spec.envSecret.name);
  if (ipc.kind === 'published') names.add(ipc.ref.name);
  if (module.spec.mountOperatorApiToken) names.add(settings.EEVEE_OPERATOR_API_TOKEN_SECRET);
  return [...names].sort();
}

const FINISHED = new Set(['Succeeded', 'Failed', 'NoBackupsFound', 'BotModuleNotFound']);

function restoresOf(ctx: Ctx, module: BotModule): (KubeObject & Partial<BackupRestore>)[] {
  return (
    ctx.cache(RESOURCES.BackupRestore).list(module.metadata.namespace) as (KubeObject &
      Partial<BackupRestore>)[]
  ).filter((r) => r.spec?.botModule.name === module.metadata.name);
}

function bootstrapState(
  ctx: Ctx,
  module: BotModule,
  restores: (KubeObject & Partial<BackupRestore>)[],
  deploymentExists: boolean,
): BootstrapState {
  if (!module.spec.bootstrapFromBackup) return { kind: 'none' };
  const pvc = ctx
    .cache(RESOURCES.PersistentVolumeClaim)
    .get(module.metadata.namespace, moduleObjectNames(module.metadata.name ?? '').pvc);
  // A module already running is not stopped for a bootstrap added later.
  if (pvc?.metadata.annotations?.[ANNOTATIONS.bootstrapped] === 'true' || deploymentExists)
    return { kind: 'done' };
  const latest = [...restores].sort((a, b) =>
    String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
  )[0];
  const phase = latest?.status?.phase;
  if (!latest || phase === 'NoBackupsFound')
    return {
      kind: 'waiting',
      message: `Waiting for a backup of module "${module.spec.moduleName}" to restore`,
    };
  if (phase === 'Failed')
    return { kind: 'failed', message: `Bootstrap restore ${latest.metadata.name} failed` };
  return {
    kind: 'restoring',
    message: `Restoring from backup${latest.status?.backupId ? ` ${latest.status.backupId}` : ''} (${latest.metadata.name})`,
  };
}

export function gatherInputs(
  ctx: Ctx,
  module: BotModule,
  settings: ModuleSettings,
  deploymentExists: boolean,
): ModuleInputs {
  const namespace = module.metadata.namespace;
  const ipc = ipcState(ctx, module);
  const secrets = ctx.cache(RESOURCES.SecretMetadata);
  const secretVersions = Object.fromEntries(
    secretsRead(module, ipc, settings).map((name) => [
      name,
      secrets.get(namespace, name)?.metadata.resourceVersion ?? 'missing',
    ]),
  );
  // InPlace modules reload their file themselves: only Secret changes restart them.
  const config =
    module.spec.configUpdatePolicy === 'Rollout' ? (module.spec.moduleConfig ?? null) : 'in-place';
  // One scan of the module's restores serves both the restore hold and the bootstrap state.
  const restores = restoresOf(ctx, module);
  const pending = restores.find((r) => !FINISHED.has(r.status?.phase ?? 'Pending'));
  const pods = podsOf(ctx, module);
  return {
    ipc,
    configHash: hashOf({ config, secretVersions }),
    restoreInProgress: pending?.metadata.name,
    bootstrap: bootstrapState(ctx, module, restores, deploymentExists),
    pods,
  };
}
