// Credentials come from Secrets only. The controller watches Secrets as metadata (no data in its caches) and
// reads a key's value with one GET when it needs it; values are passed to the S3 client and never logged.
import { RESOURCES, isNotFound } from '@eevee/runtime';
import type { ControllerContext, KubeObject } from '@eevee/runtime';

export interface SecretKeyRef {
  secretKeyRef: { secret: { name: string }; key: string };
}

export type SecretValue = { ok: true; value: string } | { ok: false; message: string };

export async function readSecretKey<T>(
  ctx: ControllerContext<T>,
  namespace: string,
  { secretKeyRef: ref }: SecretKeyRef,
): Promise<SecretValue> {
  let secret: KubeObject & { data?: Record<string, string> };
  try {
    secret = await ctx.client.get(RESOURCES.Secret, namespace, ref.secret.name);
  } catch (err) {
    if (isNotFound(err)) return { ok: false, message: `Secret "${ref.secret.name}" not found` };
    throw new Error(`reading Secret ${ref.secret.name}: ${(err as Error).message}`, { cause: err });
  }
  const raw = secret.data?.[ref.key];
  if (!raw) return { ok: false, message: `Secret "${ref.secret.name}" has no key "${ref.key}"` };
  return { ok: true, value: Buffer.from(raw, 'base64').toString('utf8') };
}

/** The resourceVersions of the Secrets a spec names: part of what decides whether a test must run again. */
export function secretVersions<T>(ctx: ControllerContext<T>, namespace: string, names: string[]): string {
  const cache = ctx.cache(RESOURCES.SecretMetadata);
  return names.map((n) => `${n}@${cache.get(namespace, n)?.metadata.resourceVersion ?? '-'}`).join(',');
}
