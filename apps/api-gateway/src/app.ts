// The Koa application: request metrics and JSON errors around everything, security headers, the declared-size
// check, then the operation table on @koa/router, each route behind its rate limit and token check. Paths nothing
// serves answer JSON 404; under /api/ only after the token check, as upstream did, so a scan without a token
// learns nothing about which routes exist.
import Koa from 'koa';
import type { Context, Next } from 'koa';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { TokenVerifier } from './auth/bearer.ts';
import { requireToken } from './auth/bearer.ts';
import { declaredBodyLimit } from './http/body.ts';
import { errorHandler } from './http/errors.ts';
import { recordRequests } from './http/metrics.ts';
import type { Operation } from './http/operation.ts';
import type { TokenBucketLimiter } from './http/rate-limit.ts';
import { rateLimit } from './http/rate-limit.ts';
import type { RouteDeps } from './routes/deps.ts';
import { docsOperation } from './routes/docs.ts';
import { pageOperations } from './routes/page.ts';
import { probeOperations } from './routes/probes.ts';
import { upstreamOperations } from './routes/upstream.ts';
import { v1Operations } from './routes/v1.ts';

export interface AppDeps extends RouteDeps {
  tokens: TokenVerifier;
  limiter: TokenBucketLimiter | undefined;
}

async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  ctx.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    // Answers come from live caches; nothing in between should keep them.
    'Cache-Control': 'no-store',
  });
  await next();
}

export function createApp(d: AppDeps): { app: Koa; operations: Operation[] } {
  const operations: Operation[] = [];
  operations.push(
    ...probeOperations(d),
    ...upstreamOperations(d),
    ...v1Operations(d),
    ...pageOperations(d),
    docsOperation(() => operations),
  );
  const limit = rateLimit(d.limiter);
  const router = new Router();
  for (const op of operations) {
    const chain: Middleware[] = [];
    if (op.rateLimited) chain.push(limit);
    if (op.auth) chain.push(requireToken(d.tokens, op.auth));
    router[op.method](op.path, ...chain, op.handler);
  }
  const apiAuth = requireToken(d.tokens, 'read');

  const app = new Koa();
  // Errors are answered by errorHandler; what reaches Koa's own handler is a client gone mid-answer.
  app.on('error', (err: Error) => d.logger.debug('connection error', { error: err.message }));
  app.use(recordRequests(d.metrics));
  app.use(errorHandler(d.logger));
  app.use(securityHeaders);
  app.use(declaredBodyLimit(d.bodyLimit));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  app.use(async (ctx) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/'))
      await limit(ctx, () => apiAuth(ctx, async () => {}));
    // Not thrown: allowedMethods (above) turns a known path with another method into 405.
    ctx.status = 404;
    ctx.body = { error: 'Not found' };
  });
  return { app, operations };
}
