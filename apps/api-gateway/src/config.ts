// The gateway's settings from the environment, validated at start (a bad value is one line and exit 2). The
// upstream operator's names and defaults are kept (NAMESPACE eevee-bot, HTTP_API_PORT 9000, WATCH_OTHER_NAMESPACES
// true for `true` in any case or `1`); the runtime's own parsers are reused for what the controllers share.
import { z } from 'zod';
import { formatZodError } from '@eevee/crds';
import { ConfigError, runtimeConfigSchema } from '@eevee/runtime';

const shared = runtimeConfigSchema.shape;
// Upstream accepted `TRUE`/`True`; the runtime's parser is lower-case only.
const lowerCased = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), schema);
const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

export const gatewayConfigSchema = z.object({
  LOG_LEVEL: shared.LOG_LEVEL,
  NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name')
    .max(63)
    .default('eevee-bot'),
  WATCH_OTHER_NAMESPACES: lowerCased(shared.WATCH_OTHER_NAMESPACES),
  KUBE_IN_CLUSTER_CONFIG: lowerCased(shared.KUBE_IN_CLUSTER_CONFIG),
  /** 0 lets the kernel pick (tests). */
  HTTP_API_PORT: z.coerce.number().int().min(0).max(65535).default(9000),
  /** Upstream listened on every interface; tests and sidecar setups use 127.0.0.1. */
  HTTP_API_HOST: z.string().min(1).default('0.0.0.0'),
  /** The upstream single token (compatibility; the admin module's pods get the same value). */
  EEVEE_OPERATOR_API_TOKEN: z.string().optional(),
  /**
   * A file, or a directory such as a mounted Secret (every file in it), of tokens, one per line: `<token>` may
   * do everything, `<token> read` may only read. Re-read while running, so tokens rotate without a restart.
   */
  EEVEE_OPERATOR_API_TOKEN_FILE: z.string().min(1).optional(),
  /** Per client IP: a bucket of RATE_LIMIT_MAX requests refilled over the window (upstream: 100 per 60 s). 0: off. */
  RATE_LIMIT_MAX: positiveInt(100, 1_000_000_000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Largest request body accepted (upstream's express.json() default, 100 kB). */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10 * 1024 * 1024)
    .default(100 * 1024),
  /** The read-only status page at `/`; false answers 404 there. */
  STATUS_PAGE: lowerCased(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .optional()
      .transform((v) => v === undefined || ['true', '1', 'yes'].includes(v)),
  ),
  SHUTDOWN_TIMEOUT_SECONDS: shared.SHUTDOWN_TIMEOUT_SECONDS,
  EEVEE_EVENTS_NATS_URL: shared.EEVEE_EVENTS_NATS_URL,
  EEVEE_EVENTS_NATS_TOKEN_FILE: shared.EEVEE_EVENTS_NATS_TOKEN_FILE,
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const known = Object.fromEntries(
    Object.keys(gatewayConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const result = gatewayConfigSchema.safeParse(known);
  if (!result.success)
    throw new ConfigError(`invalid configuration: ${formatZodError(result.error).replace(/\n/g, '; ')}`);
  return result.data;
}
