// S3Stores: tested on creation, on spec or credential Secret changes, and every testIntervalSeconds.
import { s3StoreSchema } from '@eevee/crds';
import type { S3Store } from '@eevee/crds';
import { RESOURCES, defineController, writesStatus } from '@eevee/runtime';
import type { ControllerDefinition } from '@eevee/runtime';
import { reconcileS3Store } from './reconciler.ts';

export function s3StoreController(): ControllerDefinition<unknown> {
  return defineController<S3Store>({
    name: 's3store',
    for: RESOURCES.S3Store,
    schema: s3StoreSchema,
    watches: [
      {
        type: RESOURCES.SecretMetadata,
        keys: (secret, ctx) =>
          ctx.primary
            .list(secret.metadata.namespace)
            .filter((s) => {
              const spec = (s as { spec?: Partial<S3Store['spec']> }).spec;
              return [spec?.accessId, spec?.accessKey].some(
                (r) => r?.secretKeyRef.secret.name === secret.metadata.name,
              );
            })
            .map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
      },
    ],
    // The credentials, read for each connection test and never cached (secrets.ts).
    calls: [...writesStatus(RESOURCES.S3Store), { type: RESOURCES.Secret, verbs: ['get'] }],
    reconcile: reconcileS3Store(),
  });
}
