// Reconciles one BotModule. Read top to bottom: validate, gather inputs, apply the children, report status.
// Every step is level-triggered from the caches; a converged module sends no write.
import { crossNamespaceSecretReferences, formatZodError, moduleObjectNames } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import {
  RESOURCES,
  applyObject,
  applyStatus,
  ensureChild,
  setCondition,
  readyCondition,
} from '@eevee/runtime';
import type { ControllerContext, KubeObject, ReconcileResult, Request } from '@eevee/runtime';
import { desiredConfigMap, desiredHpa, desiredPdb, desiredPvc, desiredService } from './desired/children.ts';
import { desiredDeployment, podSelector } from './desired/deployment.ts';
import { gatherInputs } from './inputs.ts';
import type { ModuleInputs } from './inputs.ts';
import { publishTransition } from './notify.ts';
import type { ModuleSettings } from './settings.ts';
import { computeStatus } from './status.ts';

type Ctx = ControllerContext<BotModule>;

export function reconcileBotModule(settings: ModuleSettings) {
  return async ({ namespace, name }: Request, ctx: Ctx): Promise<ReconcileResult | void> => {
    const owner = ctx.primary.get(namespace, name);
    // Deleted: garbage collection removes the owned children; the PVC stays unless it was owned (Delete).
    if (!owner || owner.metadata.deletionTimestamp) return;
    const module = await validate(ctx, owner);
    if (!module) return;

    const names = moduleObjectNames(name);
    const cachedDeployment = ctx.cache(RESOURCES.Deployment).get(namespace, names.deployment);
    const inputs = gatherInputs(ctx, module, settings, cachedDeployment !== undefined);
    const replicas = desiredReplicas(module, inputs);
    const problems: string[] = [];
    const base = { owner, module, fieldManager: ctx.fieldManager };

    // What the pods mount first (the volume, the config), then the Deployment and its companions together.
    await Promise.all([
      ensureChild(ctx, owner, RESOURCES.PersistentVolumeClaim, names.pvc, desiredPvc(base), problems, {
        prune: false,
      }),
      ensureChild(ctx, owner, RESOURCES.ConfigMap, names.configMap, desiredConfigMap(base), problems),
    ]);
    const heldBack = holdReason(inputs, cachedDeployment);
    const [deployment] = await Promise.all([
      heldBack
        ? Promise.resolve(cachedDeployment)
        : applyDeployment(ctx, owner, deploymentFor(ctx, base, inputs, replicas, settings), cachedDeployment),
      ensureChild(ctx, owner, RESOURCES.Service, names.service, desiredService(base), problems),
      ensureChild(ctx, owner, RESOURCES.HorizontalPodAutoscaler, names.hpa, desiredHpa(base), problems),
      ensureChild(ctx, owner, RESOURCES.PodDisruptionBudget, names.pdb, desiredPdb(base, replicas), problems),
    ]);

    const status = computeStatus({
      module,
      inputs,
      deployment,
      desiredReplicas: replicas,
      heldBack,
      problems,
      selector: Object.entries(podSelector(name))
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      configHash: inputs.configHash,
    });
    if (await applyStatus(ctx.client, RESOURCES.BotModule, owner, status, ctx.fieldManager)) {
      await publishTransition(ctx, owner, module.status?.phase, status);
    }
  };
}

/** The parsed spec, or undefined after reporting InvalidSpec (admission rejects most of this already). */
async function validate(ctx: Ctx, owner: KubeObject): Promise<BotModule | undefined> {
  const parsed = ctx.primary.getTyped(owner.metadata.namespace, owner.metadata.name);
  const problems = parsed && !parsed.success ? formatZodError(parsed.error).split('\n') : [];
  if (parsed?.success) problems.push(...crossNamespaceSecretReferences('BotModule', parsed.data));
  if (parsed?.success && problems.length === 0) return parsed.data;
  const message = problems.join('; ');
  const previous = (owner.status as BotModule['status'] | undefined)?.conditions;
  const generation = owner.metadata.generation ?? 0;
  const status = {
    observedGeneration: generation,
    phase: 'Pending',
    conditions: setCondition(previous, readyCondition(false, 'InvalidSpec', message, generation)),
  };
  if (await applyStatus(ctx.client, RESOURCES.BotModule, owner, status, ctx.fieldManager))
    await ctx.events.record(owner, 'Warning', 'InvalidSpec', message);
  return undefined;
}

function deploymentFor(
  ctx: Ctx,
  base: { owner: KubeObject; module: BotModule; fieldManager: string },
  inputs: ModuleInputs,
  replicas: number,
  settings: ModuleSettings,
): KubeObject {
  const livePvc = ctx
    .cache(RESOURCES.PersistentVolumeClaim)
    .get(base.owner.metadata.namespace, moduleObjectNames(base.owner.metadata.name).pvc);
  return desiredDeployment({
    ...base,
    volumeAccessModes: (livePvc?.spec as { accessModes?: string[] } | undefined)?.accessModes,
    replicas,
    nats: inputs.ipc.kind === 'published' ? inputs.ipc.ref : undefined,
    configHash: inputs.configHash,
    settings,
  });
}

function desiredReplicas(module: BotModule, inputs: ModuleInputs): number {
  if (!module.spec.enabled || inputs.restoreInProgress) return 0;
  return module.spec.size;
}

/** Why the Deployment must not be applied now; undefined when it may. */
function holdReason(inputs: ModuleInputs, existing: KubeObject | undefined): string | undefined {
  if (
    inputs.bootstrap.kind === 'waiting' ||
    inputs.bootstrap.kind === 'restoring' ||
    inputs.bootstrap.kind === 'failed'
  )
    return inputs.bootstrap.message;
  // Without the IpcConfig's published Secret the pods cannot get NATS_HOST/NATS_TOKEN and would crash-loop:
  // a new module waits; a running one keeps its pods as they are until the IpcConfig is back.
  if (inputs.ipc.kind === 'missing' || inputs.ipc.kind === 'unpublished')
    return existing ? `${inputs.ipc.message}; Deployment left unchanged` : inputs.ipc.message;
  return undefined;
}

async function applyDeployment(
  ctx: Ctx,
  owner: KubeObject,
  desired: KubeObject,
  cached: KubeObject | undefined,
): Promise<KubeObject> {
  const result = await applyObject(ctx.client, RESOURCES.Deployment, desired, {
    fieldManager: ctx.fieldManager,
    cached,
  });
  if (result.written) {
    const hash = (desired.spec as { template: { metadata: { annotations: Record<string, string> } } })
      .template.metadata.annotations;
    const before = (
      cached?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined
    )?.template?.metadata?.annotations;
    const image = (o: KubeObject | undefined) =>
      (o?.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec
        ?.containers?.[0]?.image;
    if (!cached)
      await ctx.events.record(owner, 'Normal', 'Created', `Created Deployment ${desired.metadata.name}`);
    else if (image(cached) !== image(desired))
      await ctx.events.record(owner, 'Normal', 'ImageRollout', `Rolling out image ${image(desired)}`);
    else if (JSON.stringify(before) !== JSON.stringify(hash))
      await ctx.events.record(owner, 'Normal', 'ConfigRollout', 'Configuration changed; rolling out');
  }
  return result.object;
}
