// Keeping one child of a custom resource: apply it when wanted, remove it when no longer wanted. Shared by the
// controllers so that every one treats refused children and pruning the same way.
import { applyObject } from './apply.ts';
import type { ControllerContext } from './controller.ts';
import { KubeApiError, isNotFound } from './kube-client.ts';
import type { KubeObject, ResourceType } from './kube-client.ts';

/**
 * Applies a child, or deletes it when it is no longer wanted (`desired` undefined) and the owner controls it.
 * A child Kubernetes refuses (422, e.g. an immutable field changed; 403, e.g. a quota) is reported in `problems`
 * for the owner's status instead of failing the whole reconcile. `prune: false` never deletes (data-bearing
 * children such as PVCs).
 */
export async function ensureChild<T>(
  ctx: ControllerContext<T>,
  owner: KubeObject,
  type: ResourceType,
  name: string,
  desired: KubeObject | undefined,
  problems: string[],
  options: { prune?: boolean } = {},
): Promise<KubeObject | undefined> {
  const namespace = owner.metadata.namespace;
  const cached = ctx.cache(type).get(namespace, name);
  if (desired) {
    try {
      return (await applyObject(ctx.client, type, desired, { fieldManager: ctx.fieldManager, cached }))
        .object;
    } catch (err) {
      if (err instanceof KubeApiError && (err.code === 422 || err.code === 403)) {
        problems.push(`${type.kind} ${name}: ${err.message}`);
        return cached;
      }
      throw new Error(`applying ${type.kind} ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  // Only what this owner controls is removed.
  if (
    options.prune === false ||
    !cached?.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid)
  )
    return undefined;
  try {
    await ctx.client.delete(type, namespace, name);
  } catch (err) {
    if (!isNotFound(err))
      throw new Error(`deleting ${type.kind} ${name}: ${(err as Error).message}`, { cause: err });
  }
  return undefined;
}
