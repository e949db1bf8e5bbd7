// The zod schemas of every request and response body. They validate what goes in and what comes out, and the
// OpenAPI document (openapi.ts) is generated from them, so the document cannot drift from the code.
import { z } from 'zod';
import { botModulePhaseSchema, operatorEventSchema } from '@eevee/crds';

/** DNS-1123 subdomain: a BotModule name. Anything else cannot exist. */
export const objectNamePattern = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** DNS-1123 label: a namespace name. */
export const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const errorSchema = z
  .object({
    error: z.string().describe('What went wrong (upstream wording where upstream had the route).'),
    details: z.string().optional().describe('More context, when there is any.'),
  })
  .describe('Every error answer.');

// --- upstream (eeveebot/operator 2.3.0) shapes, kept field for field -----------------------------------

// A Kubernetes name in a request body. Missing or empty keeps upstream's "<field> is required"; every other
// failure names its own cause: each check carries its message, since a schema-level error map would answer
// "must be a string" for a string that is only too long.
const kubeName = (field: string, max: number, pattern: RegExp, patternMessage: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`),
    })
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .regex(pattern, { error: `${field} must be ${patternMessage}` });

export const restartModuleRequestSchema = z
  .object({
    moduleName: kubeName(
      'moduleName',
      253,
      objectNamePattern,
      "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
    ).describe('The BotModule (custom resource) name.'),
    namespace: kubeName(
      'namespace',
      63,
      namespacePattern,
      "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
    ).describe('Its namespace; must be one the gateway serves.'),
  })
  .describe('Upstream restart request (the admin module sends this).');

export const restartModuleResponseSchema = z.object({
  message: z.string().describe('"Module <moduleName> restart initiated successfully".'),
});

const containerStatusSchema = z.object({
  name: z.string(),
  ready: z.boolean(),
  restartCount: z.number().int().min(0),
  image: z.string(),
  state: z.record(z.string(), z.unknown()).nullable(),
  lastState: z.record(z.string(), z.unknown()).nullable(),
});

export const upstreamPodStatusSchema = z
  .object({
    phase: z.string(),
    ready: z.boolean(),
    restartCount: z.number().int().min(0).describe('Sum over the containers.'),
    containerStatuses: z.array(containerStatusSchema),
    conditions: z.array(z.object({ type: z.string(), status: z.string(), lastTransitionTime: z.string() })),
    startedAt: z.string().nullable(),
  })
  .describe("The module's newest pod.");

export const upstreamBotModuleSchema = z
  .object({
    name: z.string().describe('spec.moduleName, else the custom resource name.'),
    crName: z.string().describe('metadata.name'),
    namespace: z.string(),
    image: z.string().describe("spec.image, or 'unknown'."),
    tag: z.string().describe("The image tag (or digest), 'latest' when the image names none."),
    enabled: z.boolean(),
    podStatus: upstreamPodStatusSchema.nullable(),
  })
  .describe('One item of GET /api/bot-modules (upstream shape).');

export const upstreamBotModuleListSchema = z.array(upstreamBotModuleSchema);

export const healthSchema = z.object({ status: z.literal('ok'), timestamp: z.iso.datetime() });
export const rootInfoSchema = z.object({ message: z.string(), timestamp: z.iso.datetime() });

// --- /api/v1 ----------------------------------------------------------------------------------------------

export const podViewSchema = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int().min(0),
  startedAt: z.string().nullable(),
});

export const conditionViewSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});

export const moduleViewSchema = z
  .object({
    namespace: z.string(),
    name: z.string().describe('The BotModule name.'),
    moduleName: z.string().describe('spec.moduleName.'),
    image: z.string(),
    tag: z.string(),
    enabled: z.boolean(),
    phase: botModulePhaseSchema
      .nullable()
      .describe('status.phase, null before the module-controller wrote one.'),
    replicas: z.object({
      desired: z.number().int().min(0),
      current: z.number().int().min(0),
      ready: z.number().int().min(0),
      updated: z.number().int().min(0),
    }),
    restartedAt: z
      .string()
      .nullable()
      .describe('The last restart asked for (the eevee.bot/restartedAt annotation).'),
    generation: z.number().int().nullable(),
    observedGeneration: z.number().int().nullable(),
    conditions: z.array(conditionViewSchema),
    pods: z.array(podViewSchema),
  })
  .describe('A BotModule with its Deployment and pods, from the caches.');

export const moduleListSchema = z.object({ items: z.array(moduleViewSchema) });

export const restartAcceptedSchema = z
  .object({
    namespace: z.string(),
    name: z.string(),
    annotation: z.literal('eevee.bot/restartedAt'),
    restartedAt: z
      .string()
      .describe('The value set (RFC 3339); the module-controller copies it to the pod template.'),
    previousRestartedAt: z.string().nullable(),
    eventPublished: z.boolean().describe('Whether restart.requested went out on the NATS event bus.'),
    message: z.string(),
  })
  .describe('What the restart did: the annotation was set; the rollout follows asynchronously.');

export const eventListSchema = z
  .object({ items: z.array(operatorEventSchema) })
  .describe('The latest control-plane events seen on eevee.operator.> (newest first).');

export const readySchema = z.object({ status: z.enum(['ok', 'ready']) });

export type UpstreamBotModule = z.infer<typeof upstreamBotModuleSchema>;
export type UpstreamPodStatus = z.infer<typeof upstreamPodStatusSchema>;
export type ModuleView = z.infer<typeof moduleViewSchema>;
export type RestartAccepted = z.infer<typeof restartAcceptedSchema>;
