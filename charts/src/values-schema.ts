// The umbrella chart's values, as a zod schema: generated into eevee/values.schema.json, which Helm checks at
// install and upgrade, so a misspelt key or a wrong type fails with a clear message before anything is applied.
import { z } from 'zod';

const quantity = z.union([z.string().regex(/^[0-9.]+[a-zA-Z]*$/), z.number().nonnegative()]);
const resources = z.strictObject({
  requests: z.record(z.string(), quantity).optional(),
  limits: z.record(z.string(), quantity).optional(),
});
const image = z.strictObject({
  repository: z.string().describe('Default: <global.image.registry>/<chart name>.'),
  tag: z.string().describe('Default: global.image.tag, then the chart appVersion.'),
  digest: z.string().regex(/^(sha256:[a-f0-9]{64})?$/, 'a sha256:<64 hex> digest or empty'),
  pullPolicy: z.enum(['', 'Always', 'IfNotPresent', 'Never']),
});
const logLevel = z.enum(['', 'error', 'warn', 'info', 'debug']);
const envVar = z.looseObject({ name: z.string().min(1) });

/** What every process chart has. */
const processValues = {
  enabled: z.boolean(),
  replicas: z.int().min(0).max(20),
  image,
  logLevel,
  shutdownTimeoutSeconds: z.int().min(1).max(600),
  watchOtherNamespaces: z.boolean(),
  resources,
  podDisruptionBudget: z.strictObject({
    enabled: z.boolean(),
    maxUnavailable: z.union([z.int().min(0), z.string().regex(/^\d+%$/)]),
  }),
  serviceAccount: z.strictObject({ annotations: z.record(z.string(), z.string()) }),
  podAnnotations: z.record(z.string(), z.string()),
  extraEnv: z.array(envVar),
  nodeSelector: z.record(z.string(), z.string()),
  tolerations: z.array(z.looseObject({})),
  affinity: z.looseObject({}),
  priorityClassName: z.string(),
  global: z.unknown().optional(),
};

const controller = z.strictObject({
  ...processValues,
  leaderElection: z.boolean(),
  concurrency: z.int().min(1).max(64),
  resyncSeconds: z.int().min(10).max(86400),
});

const duration = z.string().regex(/^\d+[smhd]$/, 'a duration such as 30s, 10m or 26h');

export const valuesSchema = z.strictObject({
  global: z.strictObject({
    image: z.strictObject({
      registry: z.string().min(1),
      tag: z.string(),
      pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
    }),
    imagePullSecrets: z.array(z.strictObject({ name: z.string().min(1) })),
    watchOtherNamespaces: z.boolean(),
    logLevel: z.enum(['error', 'warn', 'info', 'debug']),
    apiToken: z.strictObject({ secretName: z.string(), key: z.string().min(1), create: z.boolean() }),
    events: z.strictObject({
      nats: z.strictObject({
        url: z.string().regex(/^((nats|tls):\/\/\S+)?$/, 'a nats:// or tls:// URL, or empty'),
        ipcConfig: z.string(),
        tokenSecret: z.strictObject({ name: z.string(), key: z.string().min(1) }),
      }),
    }),
  }),
  crds: z.strictObject({ enabled: z.boolean(), global: z.unknown().optional() }),
  // The library chart's values slot (Helm adds it; the library has no values).
  'eevee-lib': z.unknown().optional(),
  'module-controller': controller.extend({ operatorApiUrl: z.string() }),
  'ipc-controller': controller,
  'backup-controller': controller,
  'api-gateway': z.strictObject({
    ...processValues,
    rateLimit: z.strictObject({ max: z.int().min(0), windowSeconds: z.int().min(1).max(86400) }),
    bodyLimitBytes: z
      .int()
      .min(1)
      .max(10 * 1024 * 1024),
    statusPage: z.boolean(),
    service: z.strictObject({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']),
      port: z.int().min(1).max(65535),
      annotations: z.record(z.string(), z.string()),
    }),
    ingress: z.strictObject({
      enabled: z.boolean(),
      className: z.string(),
      annotations: z.record(z.string(), z.string()),
      host: z.string(),
      path: z.string().startsWith('/'),
      tls: z.array(z.looseObject({})),
    }),
  }),
  monitoring: z.strictObject({
    enabled: z.boolean(),
    labels: z.record(z.string(), z.string()),
    interval: duration,
    podMonitor: z.strictObject({ enabled: z.boolean() }),
    moduleServiceMonitor: z.strictObject({ enabled: z.boolean() }),
    natsServiceMonitor: z.strictObject({ enabled: z.boolean() }),
    prometheusRule: z.strictObject({
      enabled: z.boolean(),
      moduleUnavailableFor: duration,
      moduleStuckFor: duration,
      reconcileErrorRatio: z.number().gt(0).max(1),
    }),
    dashboard: z.strictObject({ enabled: z.boolean(), labels: z.record(z.string(), z.string()) }),
  }),
});

type JsonSchema = { [key: string]: unknown };

/**
 * Every key may be left out: `helm lint` checks values.yaml alone (the subcharts' defaults fill in the rest), and
 * a user's values file sets only what it changes. Entries of lists keep their required keys (an env var needs a
 * name).
 */
function optionalKeys(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  delete out.required;
  if (out.properties && typeof out.properties === 'object')
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, JsonSchema>).map(([k, v]) => [k, optionalKeys(v)]),
    );
  return out;
}

/** values.schema.json: JSON Schema draft 7, as Helm reads it. */
export function valuesJsonSchema(): JsonSchema {
  return {
    ...optionalKeys(z.toJSONSchema(valuesSchema, { target: 'draft-7', io: 'input' })),
    title: 'eevee chart values',
  };
}
