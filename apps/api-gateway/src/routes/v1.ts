// The versioned API: list (all served namespaces or one), get one, restart (202 with what it did), and the
// latest control-plane events. Namespaces the gateway does not serve answer 404, like missing modules.
import type { RouterContext } from '@koa/router';
import { authErrors, requireSynced, restartErrors, shown } from '../http/common.ts';
import { ApiError } from '../http/errors.ts';
import type { Operation } from '../http/operation.ts';
import { reply, replySerialized } from '../http/operation.ts';
import { moduleView } from '../views/module-view.ts';
import { ModuleNotFound, RestartFailed } from '../restart.ts';
import {
  errorSchema,
  eventListSchema,
  moduleListSchema,
  moduleViewSchema,
  restartAcceptedSchema,
} from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const PATH_PARAMS = { namespace: 'Namespace of the BotModule.', name: 'BotModule name.' };
const notServed = (namespace: string): ApiError =>
  new ApiError(404, { error: `Namespace ${shown(namespace)} not found` });
const moduleNotFound = (namespace: string, name: string): ApiError =>
  new ApiError(404, { error: `BotModule ${shown(name)} not found in namespace ${shown(namespace)}` });

const param = (ctx: RouterContext, name: string): string => ctx.params[name] ?? '';

export function v1Operations(d: RouteDeps): Operation[] {
  const servedNamespace = (namespace: string): string => {
    if (!d.scope.serves(namespace)) throw notServed(namespace);
    return namespace;
  };
  return [
    {
      method: 'get',
      path: '/api/v1/botmodules',
      summary: 'BotModules of every namespace the gateway serves (or of ?namespace=).',
      tags: ['v1'],
      auth: 'read',
      rateLimited: true,
      queryParams: { namespace: 'Only this namespace.' },
      responses: {
        200: { description: 'The modules, by namespace and name.', schema: moduleListSchema },
        400: { description: 'namespace given more than once.', schema: errorSchema },
        404: { description: 'The namespace is not served.', schema: errorSchema },
        ...authErrors,
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: (ctx) => {
        const { namespace } = ctx.query;
        if (Array.isArray(namespace)) throw new ApiError(400, { error: 'namespace must be given once' });
        requireSynced(d.cache, 'Failed to fetch bot modules');
        replySerialized(ctx, d.views.list(namespace === undefined ? undefined : servedNamespace(namespace)));
      },
    },
    {
      method: 'get',
      path: '/api/v1/namespaces/:namespace/botmodules',
      summary: 'BotModules of one namespace.',
      tags: ['v1'],
      auth: 'read',
      rateLimited: true,
      pathParams: { namespace: PATH_PARAMS.namespace },
      responses: {
        200: { description: 'The modules, by name.', schema: moduleListSchema },
        404: { description: 'The namespace is not served.', schema: errorSchema },
        ...authErrors,
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: (ctx) => {
        const namespace = servedNamespace(param(ctx, 'namespace'));
        requireSynced(d.cache, 'Failed to fetch bot modules');
        replySerialized(ctx, d.views.list(namespace));
      },
    },
    {
      method: 'get',
      path: '/api/v1/namespaces/:namespace/botmodules/:name',
      summary: 'One BotModule with its Deployment replicas and pods.',
      tags: ['v1'],
      auth: 'read',
      rateLimited: true,
      pathParams: PATH_PARAMS,
      responses: {
        200: { description: 'The module.', schema: moduleViewSchema },
        404: { description: 'No such module in a served namespace.', schema: errorSchema },
        ...authErrors,
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: (ctx) => {
        const namespace = servedNamespace(param(ctx, 'namespace'));
        const name = param(ctx, 'name');
        requireSynced(d.cache, `Failed to fetch BotModule ${shown(name)}`);
        const entry = d.cache.get(namespace, name);
        if (!entry) throw moduleNotFound(namespace, name);
        reply(ctx, 200, moduleViewSchema, moduleView(entry));
      },
    },
    {
      method: 'post',
      path: '/api/v1/namespaces/:namespace/botmodules/:name/restart',
      summary:
        'Ask for a rolling restart: sets eevee.bot/restartedAt; the module-controller rolls the Deployment.',
      tags: ['v1'],
      auth: 'restart',
      rateLimited: true,
      pathParams: PATH_PARAMS,
      responses: {
        202: { description: 'The annotation is set; the rollout follows.', schema: restartAcceptedSchema },
        ...restartErrors,
        500: { description: 'The Kubernetes API failed the patch.', schema: errorSchema },
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: async (ctx) => {
        const namespace = servedNamespace(param(ctx, 'namespace'));
        const name = param(ctx, 'name');
        requireSynced(d.cache, `Failed to verify BotModule ${shown(name)}`);
        try {
          reply(ctx, 202, restartAcceptedSchema, await d.restarter.restart(namespace, name, ctx.ip));
        } catch (err) {
          if (err instanceof ModuleNotFound) throw moduleNotFound(namespace, name);
          if (err instanceof RestartFailed)
            throw new ApiError(500, {
              error: `Failed to restart module ${shown(name)}`,
              details: err.message,
            });
          throw err;
        }
      },
    },
    {
      method: 'get',
      path: '/api/v1/events',
      summary:
        'The latest control-plane events (NATS eevee.operator.>) of the served namespaces, newest first.',
      tags: ['v1'],
      auth: 'read',
      rateLimited: true,
      responses: { 200: { description: 'The events.', schema: eventListSchema }, ...authErrors },
      handler: (ctx) => reply(ctx, 200, eventListSchema, { items: [...d.events.list()] }),
    },
  ];
}
