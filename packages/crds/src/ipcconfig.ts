// IpcConfig: the bot's NATS, deployed by the operator (managed) or external, with token authentication.
import { z } from 'zod';
import type { V1PersistentVolumeClaimSpec, V1ResourceRequirements } from '@kubernetes/client-node';
import { conditions, image, imagePullPolicy, objectName, observedGeneration } from './common.ts';
import { EFFECTIVE_DEFAULTS } from './constants.ts';
import { doc, embedded, withRules } from './schema-kit.ts';

const managed = doc(
  z.object({
    enabled: doc(z.boolean(), 'true: the operator runs NATS. false: NATS is external; modules use the Secret host and token as given.').default(true),
    image: doc(image(), `NATS server image. Default: ${EFFECTIVE_DEFAULTS.natsImage}.`).optional(),
    imagePullPolicy: doc(imagePullPolicy(), 'Pull policy of the NATS image. Default: IfNotPresent.').optional(),
    resources: doc(embedded<V1ResourceRequirements>('ResourceRequirements'), 'Resources of the NATS container.').optional(),
    replicas: doc(
      withRules(z.number().int().min(1).max(9), [
        { rule: 'self == 1 || self >= 3', message: 'replicas must be 1, or 3 or more for a NATS cluster', check: (n) => n === 1 || n >= 3 },
      ]),
      'NATS servers: 1, or 3 or more for a clustered StatefulSet with routes and a PodDisruptionBudget.',
    ).default(1),
    maxPayload: doc(
      z.number().int().min(1024).max(67108864),
      'Largest message the server accepts, in bytes (max_payload). Default: the server default, 1 MiB.',
    ).optional(),
    metrics: doc(
      z.boolean(),
      `Run prometheus-nats-exporter (the NATS project's Prometheus exporter, ${EFFECTIVE_DEFAULTS.natsExporterImage}) beside each server, serving metrics on port 7777.`,
    ).default(true),
    jetstream: doc(
      z.object({
        enabled: doc(z.boolean(), 'Turn JetStream on.').default(false),
        storage: doc(
          embedded<V1PersistentVolumeClaimSpec>('PersistentVolumeClaimSpec'),
          'Volume for JetStream file storage; without it JetStream keeps data in memory.',
        ).optional(),
      }),
      'JetStream persistence.',
    ).optional(),
  }),
  'A NATS server run by the operator.',
);

const token = doc(
  z.object({
    generate: doc(
      z.boolean(),
      'Create the Secret with a random token when it is missing. With false, a missing Secret is reported (SecretNotFound).',
    ).default(true),
    secretKeyRef: doc(
      z.object({
        secret: doc(
          z.object({
            name: doc(objectName(), `Name of the Secret. Default: ${EFFECTIVE_DEFAULTS.natsTokenSecretName}.`).optional(),
            namespace: doc(z.string().max(63), 'Must be empty or the namespace of this IpcConfig.').optional(),
          }),
          'The Secret holding the token and the host modules connect to.',
        ),
        key: doc(z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/), `Key of the token in the Secret. Default: ${EFFECTIVE_DEFAULTS.natsTokenKey}.`).optional(),
      }),
      'Where the NATS token is kept.',
    ).optional(),
  }),
  'Token authentication for NATS.',
);

export const ipcConfigSpecSchema = z.object({
  nats: doc(
    z.object({
      managed: managed.optional(),
      token: token.optional(),
    }),
    'NATS, the message bus the modules talk over.',
  ),
});

export const ipcConfigStatusSchema = z.object({
  observedGeneration: observedGeneration(),
  conditions: conditions(),
  url: doc(z.string(), 'Client URL of the NATS server, e.g. nats://eevee-bot-nats.ns.svc:4222.').optional(),
  tokenSecretRef: doc(
    z.object({
      name: doc(z.string(), 'Name of the Secret.'),
      key: doc(z.string(), 'Key of the token in it.'),
    }),
    'The Secret and key modules read the token from.',
  ).optional(),
});

export type IpcConfigSpec = z.infer<typeof ipcConfigSpecSchema>;
export type IpcConfigStatus = z.infer<typeof ipcConfigStatusSchema>;
