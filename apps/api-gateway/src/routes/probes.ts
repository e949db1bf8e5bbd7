// Probes for the kubelet, without a token and outside rate limiting (upstream's /api/health needed the token
// and so could not serve as a probe): /healthz says the process answers; /readyz that the caches have synced.
import type { Operation } from '../http/operation.ts';
import { reply } from '../http/operation.ts';
import { ApiError } from '../http/errors.ts';
import { errorSchema, readySchema } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

export function probeOperations(d: RouteDeps): Operation[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process answers.',
      tags: ['probes'],
      auth: null,
      rateLimited: false,
      responses: { 200: { description: 'Alive.', schema: readySchema } },
      handler: (ctx) => reply(ctx, 200, readySchema, { status: 'ok' }),
    },
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the BotModule, Deployment and Pod caches have synced.',
      tags: ['probes'],
      auth: null,
      rateLimited: false,
      responses: {
        200: { description: 'Ready.', schema: readySchema },
        503: { description: 'Not ready, and why.', schema: errorSchema },
      },
      handler: (ctx) => {
        const reasons = d.cache.notSynced();
        if (reasons.length > 0) throw new ApiError(503, { error: 'Not ready', details: reasons.join('; ') });
        reply(ctx, 200, readySchema, { status: 'ready' });
      },
    },
  ];
}
