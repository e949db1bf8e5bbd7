// Settings of the module-controller beyond the runtime's own (validated at start like them).
import { z } from 'zod';
import { formatZodError } from '@eevee/crds';

export const moduleSettingsSchema = z.object({
  /** URL modules use to reach the api-gateway (EEVEE_OPERATOR_API_URL in their pods). */
  EEVEE_OPERATOR_API_URL: z.url().default('http://eevee-api-gateway:9000'),
  /** Secret (in each module's namespace) and key holding the gateway token, for mountOperatorApiToken. */
  EEVEE_OPERATOR_API_TOKEN_SECRET: z.string().min(1).default('eevee-api-gateway-token'),
  EEVEE_OPERATOR_API_TOKEN_SECRET_KEY: z.string().min(1).default('token'),
});
export type ModuleSettings = z.infer<typeof moduleSettingsSchema>;

export function parseModuleSettings(env: NodeJS.ProcessEnv): ModuleSettings {
  const known = Object.fromEntries(
    Object.keys(moduleSettingsSchema.shape).map((k) => [k, env[k] || undefined]),
  );
  const result = moduleSettingsSchema.safeParse(known);
  if (!result.success)
    throw new Error(`invalid configuration: ${formatZodError(result.error).replace(/\n/g, '; ')}`);
  return result.data;
}
