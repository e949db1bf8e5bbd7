// Writes a custom resource's status subresource, only when it differs from what the cache holds.
import type { KubeClient, KubeObject, ResourceType } from './kube-client.ts';
import { isSubset } from './semantic.ts';

/**
 * Server-side applies `status` (the fields this controller owns) to the status subresource. Returns false,
 * sending nothing, when the cached object already has exactly these values. Either way the status is then
 * reported to `client.onStatus` (the object-state metrics), so a new leader whose first reconciles write nothing
 * still exports every object's state.
 */
export async function applyStatus(
  client: KubeClient,
  type: ResourceType,
  cached: KubeObject,
  status: Record<string, unknown>,
  fieldManager: string,
): Promise<boolean> {
  if (isSubset(status, cached.status) && isSubset(cached.status ?? {}, status)) {
    client.onStatus?.(type, cached, status);
    return false;
  }
  await client.apply(
    type,
    {
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: { name: cached.metadata.name, namespace: cached.metadata.namespace },
      status,
    },
    fieldManager,
    { force: true, subresource: 'status' },
  );
  client.onStatus?.(type, cached, status);
  return true;
}
