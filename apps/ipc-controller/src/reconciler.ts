// Reconciles one IpcConfig. Read top to bottom: validate, make sure of the token Secret, run (or stand down) the
// NATS server, report status. Level-triggered from the caches; a converged IpcConfig sends no write.
import { crossNamespaceSecretReferences, formatZodError, natsObjectNames } from '@eevee/crds';
import type { IpcConfig } from '@eevee/crds';
import { RESOURCES, applyStatus, ensureChild, hashOf, readyCondition, setCondition } from '@eevee/runtime';
import type { ControllerContext, KubeObject, Request } from '@eevee/runtime';
import {
  desiredConfigMap,
  desiredHeadlessService,
  desiredJetStreamClaim,
  desiredPdb,
  desiredService,
} from './desired/companions.ts';
import { clusterMembers, isClustered, natsConfig } from './desired/nats-config.ts';
import type { ManagedSpec } from './desired/nats-config.ts';
import { desiredDeployment, desiredStatefulSet } from './desired/server.ts';
import { publishChanges } from './notify.ts';
import { computeStatus } from './status.ts';
import { TokenSecrets, serviceHost } from './token.ts';
import type { TokenState } from './token.ts';

type Ctx = ControllerContext<IpcConfig>;

export function reconcileIpcConfig() {
  const tokens = new TokenSecrets();
  return async ({ namespace, name }: Request, ctx: Ctx): Promise<void> => {
    const owner = ctx.primary.get(namespace, name);
    // Deleted: garbage collection removes the server, its config and Services; the token Secret stays.
    if (!owner || owner.metadata.deletionTimestamp) return;
    const ipc = await validate(ctx, owner);
    if (!ipc) return;

    const names = natsObjectNames(name);
    const managed = ipc.spec.nats.managed?.enabled ?? true;
    const token = await tokens.ensure(ctx, owner, ipc, serviceHost(names.server, namespace ?? ''));
    const problems: string[] = [];
    const workload = managed
      ? await runServer(ctx, owner, ipc.spec.nats.managed ?? defaultManaged(), token, problems)
      : await standDown(ctx, owner);

    const status = computeStatus({ ipc, managed, token, workload, service: names.server, problems });
    if (await applyStatus(ctx.client, RESOURCES.IpcConfig, owner, status, ctx.fieldManager))
      await publishChanges(ctx, owner, ipc.status, status);
  };
}

/** The managed defaults when the spec has no `managed` block at all (zod fills them inside the block). */
const defaultManaged = (): ManagedSpec => ({ enabled: true, replicas: 1, metrics: true });

/** The parsed spec, or undefined after reporting InvalidSpec (admission rejects most of this already). */
async function validate(ctx: Ctx, owner: KubeObject): Promise<IpcConfig | undefined> {
  const parsed = ctx.primary.getTyped(owner.metadata.namespace, owner.metadata.name);
  const problems = parsed && !parsed.success ? formatZodError(parsed.error).split('\n') : [];
  if (parsed?.success) problems.push(...crossNamespaceSecretReferences('IpcConfig', parsed.data));
  if (parsed?.success && problems.length === 0) return parsed.data;
  const message = problems.join('; ');
  const generation = owner.metadata.generation ?? 0;
  const previous = (owner.status as IpcConfig['status'] | undefined)?.conditions;
  const status = {
    observedGeneration: generation,
    conditions: setCondition(previous, readyCondition(false, 'InvalidSpec', message, generation)),
  };
  if (await applyStatus(ctx.client, RESOURCES.IpcConfig, owner, status, ctx.fieldManager))
    await ctx.events.record(owner, 'Warning', 'InvalidSpec', message);
  return undefined;
}

/**
 * The server and what goes with it. The workload waits for a usable token Secret (its pods read the token from
 * it and could not start without); the rest is applied at once.
 */
async function runServer(
  ctx: Ctx,
  owner: KubeObject,
  managed: ManagedSpec,
  token: TokenState,
  problems: string[],
): Promise<KubeObject | undefined> {
  const namespace = owner.metadata.namespace ?? '';
  const names = natsObjectNames(owner.metadata.name);
  const clustered = isClustered(managed);
  const config = natsConfig({ name: owner.metadata.name, managed });
  const base = { owner, managed, fieldManager: ctx.fieldManager };
  await Promise.all([
    ensureChild(ctx, owner, RESOURCES.ConfigMap, names.config, desiredConfigMap(base, config), problems),
    ensureChild(ctx, owner, RESOURCES.Service, names.server, desiredService(base), problems),
    ensureChild(ctx, owner, RESOURCES.Service, names.headless, desiredHeadlessService(base), problems),
    ensureChild(ctx, owner, RESOURCES.PodDisruptionBudget, names.pdb, desiredPdb(base), problems),
    ensureChild(
      ctx,
      owner,
      RESOURCES.PersistentVolumeClaim,
      names.jetstream,
      desiredJetStreamClaim(base),
      problems,
      {
        prune: false,
      },
    ),
  ]);
  const [kind, other] = clustered
    ? [RESOURCES.StatefulSet, RESOURCES.Deployment]
    : [RESOURCES.Deployment, RESOURCES.StatefulSet];
  // Switching between one server and a cluster replaces the workload kind.
  await ensureChild(ctx, owner, other, names.server, undefined, problems);
  const cached = ctx.cache(kind).get(namespace, names.server);
  if (token.kind !== 'ready') return cached;
  const server = {
    ...base,
    token: token.ref,
    routes: clustered ? clusterMembers(names.server, names.headless, namespace, managed.replicas) : [],
    configHash: hashOf({ config, token: token.resourceVersion }),
  };
  const desired = clustered ? desiredStatefulSet(server) : desiredDeployment(server);
  const applied = await ensureChild(ctx, owner, kind, names.server, desired, problems);
  if (!cached && applied)
    await ctx.events.record(owner, 'Normal', 'Created', `Created ${kind.kind} ${names.server}`);
  return applied;
}

/** An external NATS: nothing of ours runs; what a managed IpcConfig left behind is removed (not the Secret). */
async function standDown(ctx: Ctx, owner: KubeObject): Promise<undefined> {
  const names = natsObjectNames(owner.metadata.name);
  const none: string[] = [];
  await Promise.all([
    ensureChild(ctx, owner, RESOURCES.Deployment, names.server, undefined, none),
    ensureChild(ctx, owner, RESOURCES.StatefulSet, names.server, undefined, none),
    ensureChild(ctx, owner, RESOURCES.ConfigMap, names.config, undefined, none),
    ensureChild(ctx, owner, RESOURCES.Service, names.server, undefined, none),
    ensureChild(ctx, owner, RESOURCES.Service, names.headless, undefined, none),
    ensureChild(ctx, owner, RESOURCES.PodDisruptionBudget, names.pdb, undefined, none),
  ]);
  return undefined;
}
