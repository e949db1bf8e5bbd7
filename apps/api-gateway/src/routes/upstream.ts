// The upstream operator's routes (upstream.md §5), with its bodies and status codes: the admin module and
// existing scripts keep working unchanged. Fixed on the way: a missing module is 404 (upstream's 404 branches
// were unreachable and it answered 500), and only namespaces the gateway serves can be touched.
import { readJsonBody } from '../http/body.ts';
import { authErrors, requireSynced, restartErrors, shown } from '../http/common.ts';
import { ApiError } from '../http/errors.ts';
import type { Operation } from '../http/operation.ts';
import { reply, replySerialized } from '../http/operation.ts';
import { ModuleNotFound, RestartFailed } from '../restart.ts';
import {
  errorSchema,
  healthSchema,
  restartModuleRequestSchema,
  restartModuleResponseSchema,
  upstreamBotModuleListSchema,
} from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function upstreamOperations(d: RouteDeps): Operation[] {
  return [
    {
      method: 'get',
      path: '/api/health',
      summary: 'Upstream health answer (needs a token; probes use /healthz).',
      tags: ['upstream'],
      auth: 'read',
      rateLimited: true,
      responses: { 200: { description: 'Always ok.', schema: healthSchema }, ...authErrors },
      handler: (ctx) => reply(ctx, 200, healthSchema, { status: 'ok', timestamp: new Date().toISOString() }),
    },
    {
      method: 'get',
      path: '/api/metrics',
      summary: 'Prometheus metrics.',
      tags: ['upstream'],
      auth: null,
      rateLimited: false,
      responses: {
        200: { description: 'Prometheus text exposition.', contentType: 'text/plain' },
        500: { description: 'The metrics could not be collected (empty body, as upstream).' },
      },
      handler: async (ctx) => {
        try {
          const text = await d.metrics.registry.metrics();
          ctx.type = d.metrics.registry.contentType;
          ctx.body = text;
        } catch (err) {
          d.logger.error('collecting metrics failed', { error: (err as Error).message });
          ctx.status = 500;
          ctx.body = '';
        }
      },
    },
    {
      method: 'get',
      path: '/api/bot-modules',
      summary: "The BotModules of the gateway's NAMESPACE, upstream shape.",
      tags: ['upstream'],
      auth: 'read',
      rateLimited: true,
      responses: {
        200: { description: 'The modules, by name.', schema: upstreamBotModuleListSchema },
        ...authErrors,
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: (ctx) => {
        requireSynced(d.cache, 'Failed to fetch bot modules');
        replySerialized(ctx, d.views.upstreamList(d.scope.home));
      },
    },
    {
      method: 'post',
      path: '/api/action/restart-module',
      summary: 'Restart a module (upstream route; sets eevee.bot/restartedAt on the BotModule).',
      tags: ['upstream'],
      auth: 'restart',
      rateLimited: true,
      requestBody: restartModuleRequestSchema,
      responses: {
        200: { description: 'The restart was asked for.', schema: restartModuleResponseSchema },
        400: {
          description: 'moduleName or namespace missing, or the body is not JSON.',
          schema: errorSchema,
        },
        ...restartErrors,
        500: { description: 'The Kubernetes API failed the patch.', schema: errorSchema },
      },
      handler: async (ctx) => {
        const body = await readJsonBody(ctx, d.bodyLimit);
        const parsed = restartModuleRequestSchema.safeParse(isObject(body) ? body : {});
        if (!parsed.success)
          throw new ApiError(400, { error: parsed.error.issues[0]?.message ?? 'Invalid request' });
        const { moduleName, namespace } = parsed.data;
        requireSynced(d.cache, `Failed to verify BotModule ${moduleName}`);
        try {
          await d.restarter.restart(namespace, moduleName, ctx.ip);
        } catch (err) {
          if (err instanceof ModuleNotFound)
            throw new ApiError(404, {
              error: `BotModule ${shown(moduleName)} not found in namespace ${shown(namespace)}`,
            });
          if (err instanceof RestartFailed)
            throw new ApiError(500, {
              error: `Failed to restart module ${moduleName}`,
              details: err.message,
            });
          throw err;
        }
        reply(ctx, 200, restartModuleResponseSchema, {
          message: `Module ${moduleName} restart initiated successfully`,
        });
      },
    },
  ];
}
