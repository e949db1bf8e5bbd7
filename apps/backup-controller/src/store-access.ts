// Everything that needs a bucket (restores, bootstraps) goes through here: the S3Store must exist and be Ready
// (tested by the s3store controller), and its credentials must be readable; then an S3 client is made for it.
import { s3StoreSchema } from '@eevee/crds';
import type { S3Store } from '@eevee/crds';
import { s3Client } from '@eevee/backups';
import type { S3Location } from '@eevee/backups';
import { RESOURCES, isTrue } from '@eevee/runtime';
import type { ControllerContext, KubeObject } from '@eevee/runtime';
import type { S3Client } from '@aws-sdk/client-s3';
import { readSecretKey } from './secrets.ts';

export type StoreAccess =
  | { ok: true; store: S3Store; location: S3Location; client: S3Client }
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

export async function accessStore<T>(
  ctx: ControllerContext<T>,
  namespace: string,
  name: string,
): Promise<StoreAccess> {
  const ready = storeReadiness(ctx, namespace, name);
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
  return {
    ok: true,
    store,
    location,
    client: s3Client(location, { accessKeyId: id.value, secretAccessKey: key.value }),
  };
}

export const locationOf = (store: S3Store): S3Location => ({
  endpoint: store.spec.endpoint,
  region: store.spec.region,
  pathStyle: store.spec.pathStyle,
  bucket: store.spec.bucket,
  prefix: store.spec.prefix,
});
