// `/`: the status page for browsers, upstream's JSON greeting for clients that ask for JSON. The page and its
// assets are served with a strict Content-Security-Policy (no inline script, same-origin fetch only).
import type { RouterContext } from '@koa/router';
import { requireSynced } from '../http/common.ts';
import { notFound } from '../http/errors.ts';
import type { Operation } from '../http/operation.ts';
import { reply, replySerialized } from '../http/operation.ts';
import { STATUS_SCRIPT, STATUS_STYLE } from '../page/assets.ts';
import { renderPage } from '../page/render.ts';
import { moduleView } from '../views/module-view.ts';
import { errorSchema, rootInfoSchema } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const asset = (body: string, type: string) => {
  const bytes = Buffer.from(body);
  return (ctx: RouterContext): void => {
    ctx.set('Cache-Control', 'no-cache');
    replySerialized(ctx, bytes, type);
  };
};

export function pageOperations(d: RouteDeps): Operation[] {
  const enabled = (ctx: RouterContext): void => {
    if (!d.statusPage) notFound();
    ctx.set('Content-Security-Policy', CSP);
  };
  const script = asset(STATUS_SCRIPT, 'text/javascript; charset=utf-8');
  const style = asset(STATUS_STYLE, 'text/css; charset=utf-8');
  return [
    {
      method: 'get',
      path: '/',
      summary: 'The status page (HTML); JSON clients get upstream\'s {"message","timestamp"}.',
      tags: ['page'],
      auth: null,
      rateLimited: true,
      responses: {
        200: { description: 'The page, or the upstream greeting.', contentType: 'text/html' },
        404: { description: 'STATUS_PAGE=false.', schema: errorSchema },
        503: { description: 'The caches have not synced yet.', schema: errorSchema },
      },
      handler: (ctx) => {
        if (ctx.accepts('html', 'json') === 'json') {
          reply(ctx, 200, rootInfoSchema, {
            message: 'eevee.bot Operator API',
            timestamp: new Date().toISOString(),
          });
          return;
        }
        enabled(ctx);
        requireSynced(d.cache, 'Not ready');
        const watched = d.scope.watched ?? 'all';
        const body = d.views.derived('page', () =>
          renderPage({
            namespaces: watched,
            modules: d.cache.list(d.scope.watched).map(moduleView),
            events: d.events.list(),
          }),
        );
        replySerialized(ctx, body, 'text/html; charset=utf-8');
      },
    },
    {
      method: 'get',
      path: '/assets/status.js',
      summary: 'The status page script.',
      tags: ['page'],
      auth: null,
      rateLimited: false,
      responses: { 200: { description: 'JavaScript.', contentType: 'text/javascript' } },
      handler: (ctx) => {
        enabled(ctx);
        script(ctx);
      },
    },
    {
      method: 'get',
      path: '/assets/status.css',
      summary: 'The status page style.',
      tags: ['page'],
      auth: null,
      rateLimited: false,
      responses: { 200: { description: 'CSS.', contentType: 'text/css' } },
      handler: (ctx) => {
        enabled(ctx);
        style(ctx);
      },
    },
  ];
}
