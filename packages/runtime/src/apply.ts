// Server-side apply with one field manager per controller, skipped when the cache already shows the desired
// state: a converged system sends no writes. The hash of the last applied desired object is kept in an
// annotation so that a field dropped from the desired object is still removed (a subset check alone would
// keep it forever).
import { LABELS } from '@eevee/crds';
import type { KubeClient, KubeObject, OwnerReference, ResourceType } from './kube-client.ts';
import { hashOf, isSubset } from './semantic.ts';

export const APPLIED_HASH_ANNOTATION = 'eevee.bot/applied-hash';

export interface ApplyResult<T> {
  object: T;
  /** False when the cached object already matched and nothing was sent. */
  written: boolean;
}

/** ownerReference making `owner` the controller of a child (garbage collection deletes the child with it). */
export function controllerReference(owner: KubeObject): OwnerReference {
  if (!owner.apiVersion || !owner.kind || !owner.metadata.uid)
    throw new Error(`cannot own by ${owner.metadata.name}: apiVersion, kind and uid are required`);
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The labels every child carries: app.kubernetes.io/* and the upstream eevee.bot ones. */
export function standardLabels(options: {
  component: string;
  instance: string;
  managedBy: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'eevee',
    'app.kubernetes.io/component': options.component,
    'app.kubernetes.io/instance': options.instance,
    'app.kubernetes.io/managed-by': options.managedBy,
    'app.kubernetes.io/part-of': 'eevee-operator',
    [LABELS.app]: LABELS.appValue,
    ...options.extra,
  };
}

export async function applyObject<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  desired: KubeObject,
  options: { fieldManager: string; cached?: KubeObject | undefined; force?: boolean },
): Promise<ApplyResult<T>> {
  const hash = hashOf(desired);
  const body: KubeObject = {
    ...desired,
    apiVersion: type.apiVersion,
    kind: type.kind,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
  const cached = options.cached;
  if (cached && cached.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash && isSubset(body, cached)) {
    return { object: cached as T, written: false };
  }
  const object = await client.apply<T>(type, body, options.fieldManager, { force: options.force ?? true });
  return { object, written: true };
}
