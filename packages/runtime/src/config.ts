// Controller settings from the environment, validated at start: a bad value is one clear line and exit 2.
import { z } from 'zod';
import { formatZodError } from '@eevee/crds';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const runtimeConfigSchema = z.object({
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  NAMESPACE: z.string().min(1).optional(),
  WATCH_OTHER_NAMESPACES: bool(false),
  KUBE_IN_CLUSTER_CONFIG: bool(false),
  LEADER_ELECT: bool(true),
  LEADER_ELECTION_NAMESPACE: z.string().min(1).optional(),
  POD_NAME: z.string().min(1).optional(),
  METRICS_PORT: port(8080),
  HEALTH_PORT: port(8081),
  RECONCILE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  RESYNC_SECONDS: z.coerce.number().int().min(10).max(86400).default(600),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  EEVEE_EVENTS_NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+$/, 'must be a nats:// or tls:// URL')
    .optional(),
  EEVEE_EVENTS_NATS_TOKEN_FILE: z.string().min(1).optional(),
});
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  const known = Object.fromEntries(
    Object.keys(runtimeConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const result = runtimeConfigSchema.safeParse(known);
  if (!result.success)
    throw new ConfigError(`invalid configuration: ${formatZodError(result.error).replace(/\n/g, '; ')}`);
  return result.data;
}

/** Parses the environment or prints one line and exits with code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  try {
    return parseConfig(env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
