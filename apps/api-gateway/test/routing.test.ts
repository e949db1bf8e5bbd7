// The Koa app in process, on an in-memory cache and a patcher that records instead of calling Kubernetes: a
// routing or authentication mistake fails the unit suite, without a cluster. The integration tests run the
// same app on the real cluster.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiError, createLogger } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { createApp } from '../src/app.ts';
import { TokenStore } from '../src/auth/token-store.ts';
import { RecentEvents } from '../src/events/recent-events.ts';
import { GatewayMetrics } from '../src/http/metrics.ts';
import { namespaceScope } from '../src/kube/scope.ts';
import { FIELD_MANAGER, Restarter } from '../src/restart.ts';
import type { AnnotationPatcher } from '../src/restart.ts';
import type { UpstreamBotModule } from '../src/schemas.ts';
import { ViewCache } from '../src/views/view-cache.ts';
import { MemoryModules, moduleIn } from './memory-modules.ts';

const TOKEN = 'unit-test-token-0123456789';
const HOME = 'bots';

const cache = new MemoryModules();
const metrics = new GatewayMetrics();
const patches: { namespace: string | undefined; name: string; patch: unknown; fieldManager: string }[] = [];
/** Modules the API server answers for as the fake is told: deleted since cached (404), or failing (500). */
const apiAnswers = new Map<string, KubeApiError>();
let server: Server;
let url: string;

const patcher: AnnotationPatcher = {
  mergePatch: <T extends KubeObject>(
    _type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    fieldManager: string,
  ): Promise<T> => {
    patches.push({ namespace, name, patch, fieldManager });
    const failure = apiAnswers.get(name);
    if (failure) return Promise.reject(failure);
    const entry = cache.get(namespace ?? '', name);
    return entry ? Promise.resolve(entry.raw as T) : Promise.reject(new Error('not found'));
  },
};

beforeAll(async () => {
  // Watching every namespace, so the upstream list's "NAMESPACE only" is the route's doing, not the cache's.
  const scope = namespaceScope(HOME, true);
  const logger = createLogger({ name: 'api-gateway', level: 'error' });
  const events = new RecentEvents((ns) => scope.serves(ns));
  const restarter = new Restarter({ client: patcher, cache, scope, metrics, events, logger });
  const { app } = createApp({
    scope,
    cache,
    views: new ViewCache(cache, events),
    restarter,
    events,
    metrics,
    logger,
    bodyLimit: 1024,
    statusPage: true,
    tokens: new TokenStore({ envToken: TOKEN }),
    limiter: undefined,
  });
  const handle = app.callback();
  server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
});

beforeEach(() => {
  cache.synced = true;
  cache.set([
    moduleIn(HOME, 'echo', { image: 'ghcr.io/eeveebot/echo:1.2.0' }),
    moduleIn(HOME, 'dice'),
    moduleIn('elsewhere', 'router'),
  ]);
  patches.length = 0;
  apiAnswers.clear();
  metrics.restarts.reset();
});

async function call(
  path: string,
  options: { method?: string; token?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const token = options.token === undefined ? `Bearer ${TOKEN}` : options.token;
  const response = await fetch(url + path, {
    method: options.method ?? 'GET',
    headers: { ...(token !== null ? { authorization: token } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // the page
  }
  return { status: response.status, headers: response.headers, body, text };
}

const restartBody = (moduleName: string): Parameters<typeof call>[1] => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ moduleName, namespace: HOME }),
});

describe('the app in process', () => {
  it('lists NAMESPACE only on the upstream route, every served namespace on v1', async () => {
    const upstream = await call('/api/bot-modules');
    expect(upstream.status).toBe(200);
    const items = upstream.body as UpstreamBotModule[];
    expect(items.map((m) => [m.namespace, m.crName, m.tag])).toEqual([
      [HOME, 'dice', 'latest'],
      [HOME, 'echo', '1.2.0'],
    ]);
    const v1 = await call('/api/v1/botmodules');
    expect((v1.body as { items: { namespace: string }[] }).items.map((m) => m.namespace)).toEqual([
      HOME,
      HOME,
      'elsewhere',
    ]);
  });

  it('answers 401 without a valid token, and accepts a lower-case scheme', async () => {
    const none = await call('/api/bot-modules', { token: null });
    expect(none).toMatchObject({ status: 401, body: { error: 'Authorization header required' } });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await call('/api/bot-modules', { token: 'Bearer wrong' })).toMatchObject({
      status: 401,
      body: { error: 'Invalid token' },
    });
    expect((await call('/api/bot-modules', { token: `bearer ${TOKEN}` })).status).toBe(200);
    // Unknown paths under /api/ reveal nothing before the token check.
    expect((await call('/api/no-such-route', { token: null })).status).toBe(401);
    expect(await call('/api/no-such-route')).toMatchObject({ status: 404, body: { error: 'Not found' } });
    expect((await call('/api/bot-modules', { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 404 for an unknown module, read or restart, without counting a failed restart', async () => {
    const notFound = { error: `BotModule nope not found in namespace ${HOME}` };
    expect(await call(`/api/v1/namespaces/${HOME}/botmodules/nope`)).toMatchObject({
      status: 404,
      body: notFound,
    });
    expect(await call('/api/action/restart-module', restartBody('nope'))).toMatchObject({
      status: 404,
      body: notFound,
    });
    expect(
      (await call(`/api/v1/namespaces/${HOME}/botmodules/nope/restart`, { method: 'POST' })).status,
    ).toBe(404);
    expect(patches).toEqual([]);
    expect((await metrics.restarts.get()).values).toEqual([]);
  });

  it('answers 404 for a module deleted since it was cached, 500 (counted as failed) when the patch fails', async () => {
    apiAnswers.set('echo', new KubeApiError(404, 'NotFound', 'botmodules "echo" not found'));
    apiAnswers.set('dice', new KubeApiError(500, 'InternalError', 'etcd timeout'));
    expect(await call('/api/action/restart-module', restartBody('echo'))).toMatchObject({
      status: 404,
      body: { error: `BotModule echo not found in namespace ${HOME}` },
    });
    expect(await call('/api/action/restart-module', restartBody('dice'))).toMatchObject({
      status: 500,
      body: { error: 'Failed to restart module dice', details: 'etcd timeout' },
    });
    expect((await metrics.restarts.get()).values).toEqual([
      { labels: { module_name: 'dice', namespace: HOME, success: 'false' }, value: 1 },
    ]);
  });

  it('restarts a known module by patching only the annotation (200 upstream, 202 v1)', async () => {
    expect(await call('/api/action/restart-module', restartBody('echo'))).toMatchObject({
      status: 200,
      body: { message: 'Module echo restart initiated successfully' },
    });
    const v1 = await call(`/api/v1/namespaces/${HOME}/botmodules/dice/restart`, { method: 'POST' });
    expect(v1).toMatchObject({ status: 202, body: { namespace: HOME, name: 'dice' } });
    expect(patches.map((p) => [p.namespace, p.name, p.fieldManager])).toEqual([
      [HOME, 'echo', FIELD_MANAGER],
      [HOME, 'dice', FIELD_MANAGER],
    ]);
    expect(patches[0]?.patch).toEqual({
      metadata: { annotations: { 'eevee.bot/restartedAt': expect.any(String) as unknown } },
    });
  });

  it('refuses a restart body that is not JSON with 415', async () => {
    const answer = await call('/api/action/restart-module', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'echo',
    });
    expect(answer).toMatchObject({ status: 415, body: { error: 'Unsupported media type' } });
    expect(patches).toEqual([]);
  });

  it('answers 503 until the caches have synced', async () => {
    cache.synced = false;
    expect(await call('/api/bot-modules')).toMatchObject({
      status: 503,
      body: { error: 'Failed to fetch bot modules' },
    });
    expect((await call('/readyz', { token: null })).status).toBe(503);
    expect((await call('/healthz', { token: null })).status).toBe(200);
  });

  it('serves the page at / to */* and upstream’s greeting only to JSON clients', async () => {
    const page = await call('/', { token: null, headers: { accept: '*/*' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('echo');
    const json = await call('/', { token: null, headers: { accept: 'application/json' } });
    expect(json).toMatchObject({ status: 200, body: { message: 'eevee.bot Operator API' } });
  });
});
