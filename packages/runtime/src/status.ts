// Writes a custom resource's status subresource, only when it differs from what the cache holds.
import type { KubeClient, KubeObject, ResourceType } from './kube-client.ts';
import { isSubset } from './semantic.ts';

/**
 * Server-side applies `status` (the fields this controller owns) to the status subresource. Returns false,
 * sending nothing, when the cached object already has exactly these values.
 */
export async function applyStatus(
  client: KubeClient,
  type: ResourceType,
  cached: KubeObject,
  status: Record<string, unknown>,
  fieldManager: string,
): Promise<boolean> {
  if (isSubset(status, cached.status) && isSubset(cached.status ?? {}, status)) return false;
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
  return true;
}
