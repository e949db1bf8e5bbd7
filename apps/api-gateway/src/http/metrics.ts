// The gateway's Prometheus metrics under upstream's names, with bounded labels: `route` is the matched route
// template (upstream used the raw path for unmatched requests: one series per URL a scanner tried).
import type { Context, Next } from 'koa';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Upstream's buckets (0.01 … 5) with finer ones below, since answers from the cache take about a millisecond.
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status_code'>;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  readonly restarts: Counter<'module_name' | 'namespace' | 'success'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'eevee_operator_api_requests_total',
      help: 'HTTP requests to the operator API, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'eevee_operator_api_request_duration_seconds',
      help: 'Duration of HTTP requests to the operator API, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets,
      registers,
    });
    this.restarts = new Counter({
      name: 'eevee_operator_module_restarts_total',
      help: 'Module restarts asked for through the API, by module, namespace and whether it succeeded',
      labelNames: ['module_name', 'namespace', 'success'],
      registers,
    });
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Outermost middleware: sees the final status, including errors the error handler turned into answers. */
export function recordRequests(metrics: GatewayMetrics) {
  return async function record(ctx: Context, next: Next): Promise<void> {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
      const labels = {
        method: KNOWN_METHODS.has(ctx.method) ? ctx.method : 'OTHER',
        route: typeof matched === 'string' ? matched : 'unmatched',
        status_code: String(ctx.status),
      };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    }
  };
}
