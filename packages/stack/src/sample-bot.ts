// The sample bot of crds/examples, made to run here: moved to the chosen namespace, and its S3Store pointed at
// the local S3 server the start command runs (the sample's s3.example.com is a placeholder).
import { join } from 'node:path';
import type { KubeObject } from '@eevee/runtime';
import type { S3Server } from '@eevee/testenv';
import { readManifests } from './manifests.ts';

export const SAMPLE_BOT = join(import.meta.dirname, '..', '..', '..', 'crds', 'examples', 'sample-bot.yaml');
export const SAMPLE_NAMESPACE = 'eevee-bot';
/** The sample's S3Store and the Secret its credentials come from. */
const STORE = 'offsite';
const CREDENTIALS = 'backup-s3-credentials';

export interface LocalStore {
  s3: S3Server;
  bucket: string;
}

export function sampleBot(namespace: string, store: LocalStore): KubeObject[] {
  return readManifests(SAMPLE_BOT).map((obj) => {
    if (obj.kind === 'Namespace') return { ...obj, metadata: { ...obj.metadata, name: namespace } };
    const moved: KubeObject = { ...obj, metadata: { ...obj.metadata, namespace } };
    if (obj.kind === 'S3Store' && obj.metadata.name === STORE) {
      const spec = obj.spec as Record<string, unknown>;
      return {
        ...moved,
        spec: {
          ...spec,
          endpoint: store.s3.endpoint,
          region: store.s3.region,
          bucket: store.bucket,
          pathStyle: true,
        },
      };
    }
    if (obj.kind === 'Secret' && obj.metadata.name === CREDENTIALS) {
      return {
        ...moved,
        stringData: { 'access-key-id': store.s3.accessKeyId, 'secret-access-key': store.s3.secretAccessKey },
      };
    }
    return moved;
  });
}

/** The S3Store's prefix, where backups of the sample's modules go. */
export function storePrefix(objects: KubeObject[]): string {
  const store = objects.find((o) => o.kind === 'S3Store' && o.metadata.name === STORE);
  return ((store?.spec as { prefix?: string } | undefined)?.prefix ?? '') || '';
}
