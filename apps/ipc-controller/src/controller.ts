// The ipc-controller's one controller: IpcConfigs, the NATS objects they own, and the token Secrets they name.
import { ipcConfigSchema } from '@eevee/crds';
import type { IpcConfig } from '@eevee/crds';
import { RESOURCES, applies, appliesAndPrunes, defineController, writesStatus } from '@eevee/runtime';
import type { ControllerDefinition, KubeObject } from '@eevee/runtime';
import { reconcileIpcConfig } from './reconciler.ts';
import { tokenRef } from './token.ts';

export function ipcConfigController(): ControllerDefinition<unknown> {
  return defineController<IpcConfig>({
    name: 'ipcconfig',
    for: RESOURCES.IpcConfig,
    schema: ipcConfigSchema,
    owns: [
      RESOURCES.Deployment,
      RESOURCES.StatefulSet,
      RESOURCES.ConfigMap,
      RESOURCES.Service,
      RESOURCES.PodDisruptionBudget,
    ],
    // The JetStream claim of a single server: read to apply it only when it differs, never watched.
    caches: [{ type: RESOURCES.PersistentVolumeClaim }],
    watches: [
      // Token Secrets are user objects or outlive their IpcConfig (no owner): matched by name. Metadata only:
      // the token itself never sits in the controller's memory.
      {
        type: RESOURCES.SecretMetadata,
        keys: (secret, ctx) =>
          ctx.primary
            .list(secret.metadata.namespace)
            .filter((ipc) => {
              const parsed = ctx.primary.getTyped(ipc.metadata.namespace, ipc.metadata.name);
              return parsed?.success && tokenRef(parsed.data.spec).name === secret.metadata.name;
            })
            .map((ipc: KubeObject) => `${ipc.metadata.namespace}/${ipc.metadata.name}`),
      },
    ],
    calls: [
      ...writesStatus(RESOURCES.IpcConfig),
      ...appliesAndPrunes(
        RESOURCES.Deployment,
        RESOURCES.StatefulSet,
        RESOURCES.ConfigMap,
        RESOURCES.Service,
        RESOURCES.PodDisruptionBudget,
      ),
      // JetStream storage outlives a config change: applied, never pruned.
      ...applies(RESOURCES.PersistentVolumeClaim),
      // The token (token.ts): read when the hash needs it, created once, patched only to rotate.
      { type: RESOURCES.Secret, verbs: ['get', 'create', 'patch'] },
    ],
    reconcile: reconcileIpcConfig(),
  });
}
