// /healthz (the process is alive), /readyz (caches synced and leader state known) and /metrics, on Koa.
import type { Server } from 'node:http';
import Koa from 'koa';
import type { Registry } from 'prom-client';

export interface HealthSource {
  ready(): { ok: boolean; reasons: string[] };
  beforeScrape?(): void;
}

export function startHealthServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  source: HealthSource;
}): Promise<Server> {
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'GET') {
      ctx.status = 405;
      return;
    }
    switch (ctx.path) {
      case '/healthz':
        ctx.body = 'ok';
        return;
      case '/readyz': {
        const { ok, reasons } = options.source.ready();
        ctx.status = ok ? 200 : 503;
        ctx.body = ok ? 'ok' : `not ready: ${reasons.join('; ')}`;
        return;
      }
      case '/metrics':
        options.source.beforeScrape?.();
        ctx.type = options.registry.contentType;
        ctx.body = await options.registry.metrics();
        return;
      default:
        ctx.status = 404;
    }
  });
  return new Promise((resolveListen, reject) => {
    const server = app.listen(options.port, options.host ?? '0.0.0.0', () => resolveListen(server));
    server.on('error', reject);
  });
}
