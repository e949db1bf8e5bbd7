// Everything that needs a bucket (restores, bootstraps) goes through here: the S3Store must exist and be Ready
// (tested by the s3store controller), and its credentials must be readable; then an S3 client is made for it.
import { s3StoreSchema } from '@eevee/crds';
import type { S3Store } from '@eevee/crds';
import { listBackups, s3Client } from '@eevee/backups';
import type { S3Location, StoredBackup } from '@eevee/backups';
import { RESOURCES, isTrue } from '@eevee/runtime';
import type { ControllerContext, KubeObject } from '@eevee/runtime';
import { readSecretKey } from './secrets.ts';

type StoreAccess =
  | { ok: true }
  | { ok: false; reason: 'S3StoreNotFound' | 'S3StoreNotReady' | 'SecretNotFound'; message: string };

/** The S3Store as cached, if it exists (parsed with its defaults). */
export function cachedStore<T>(
  ctx: ControllerContext<T>,
  namespace: string,
  name: string,
): S3Store | undefined {
  const raw = ctx.cache(RESOURCES.S3Store).get(namespace, name);
  const parsed = raw ? s3StoreSchema.safeParse(raw) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

export function storeReadiness<T>(
  ctx: ControllerContext<T>,
  namespace: string,
  name: string,
):
  | { ok: true; store: S3Store }
  | { ok: false; reason: 'S3StoreNotFound' | 'S3StoreNotReady'; message: string } {
  const raw = ctx.cache(RESOURCES.S3Store).get(namespace, name) as
    (KubeObject & Partial<S3Store>) | undefined;
  const store = cachedStore(ctx, namespace, name);
  if (!raw || !store) return { ok: false, reason: 'S3StoreNotFound', message: `S3Store "${name}" not found` };
  if (!isTrue(raw.status?.conditions, 'Ready')) {
    const why = raw.status?.conditions?.find((c) => c.type === 'Ready')?.message;
    return {
      ok: false,
      reason: 'S3StoreNotReady',
      message: `S3Store "${name}" is not ready${why ? `: ${why}` : ''}`,
    };
  }
  return { ok: true, store };
}

/**
 * The newest backup of a module in a store (undefined when there is none yet). Only this needs the credentials:
 * the Jobs read them by secretKeyRef, so everything else about a store comes from the cache.
 */
export async function newestBackup<T>(
  ctx: ControllerContext<T>,
  namespace: string,
  storeName: string,
  module: string,
): Promise<{ ok: true; backup: StoredBackup | undefined } | Exclude<StoreAccess, { ok: true }>> {
  const ready = storeReadiness(ctx, namespace, storeName);
  if (!ready.ok) return ready;
  const { store } = ready;
  const [id, key] = await Promise.all([
    readSecretKey(ctx, namespace, store.spec.accessId),
    readSecretKey(ctx, namespace, store.spec.accessKey),
  ]);
  if (!id.ok || !key.ok)
    return {
      ok: false,
      reason: 'SecretNotFound',
      message: [id, key].flatMap((v) => (v.ok ? [] : [v.message])).join('; '),
    };
  const location = locationOf(store);
  const client = s3Client(location, { accessKeyId: id.value, secretAccessKey: key.value });
  try {
    const backups = await listBackups(client, location.bucket, {
      prefix: location.prefix,
      namespace,
      module,
    });
    return { ok: true, backup: backups[0] };
  } finally {
    client.destroy();
  }
}

export const locationOf = (store: S3Store): S3Location => ({
  endpoint: store.spec.endpoint,
  region: store.spec.region,
  pathStyle: store.spec.pathStyle,
  bucket: store.spec.bucket,
  prefix: store.spec.prefix,
});
