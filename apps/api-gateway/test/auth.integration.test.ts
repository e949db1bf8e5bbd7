// Authentication and limits on the real gateway: upstream's 401 bodies, 403 for a read-only token, tokens
// rotated through a mounted-Secret-like directory without a restart, a gateway without any token closed (never
// open), 429 with upstream's body once a client's bucket is empty, and 413 for bodies over the limit.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import { eventually } from '@eevee/testenv';
import type { Gateway } from '../src/gateway.ts';
import type { Harness } from './harness.ts';
import { TOKEN, applyModule, call, startGateway, startGatewayHarness } from './harness.ts';

let h: Harness;
const extra: Gateway[] = [];
const dirs: string[] = [];
const url = (g: Gateway): string => `http://127.0.0.1:${g.port}`;

beforeAll(async () => {
  h = await startGatewayHarness('gwauth', { BODY_LIMIT_BYTES: '1024' });
  await applyModule(h.admin, h.ns.name, 'echo');
  await applyModule(h.admin, h.ns.name, 'dice');
});

afterAll(async () => {
  await Promise.all(extra.map((g) => g.stop()));
  await h?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('bearer tokens (upstream bodies)', () => {
  it('answers 401 with upstream’s error for each way a token is wrong', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authorization header required'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'Invalid authorization format'],
      [{ authorization: `Bearer ${TOKEN} extra` }, 'Invalid authorization format'],
      [{ authorization: 'Bearer' }, 'Invalid authorization format'],
      [{ authorization: 'Bearer wrong-token' }, 'Invalid token'],
      [{ authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 'Invalid token'],
      [{ authorization: `Bearer ${TOKEN}x` }, 'Invalid token'],
    ];
    for (const [headers, error] of cases) {
      for (const [method, path] of [
        ['GET', '/api/bot-modules'],
        ['POST', '/api/action/restart-module'],
        ['GET', `/api/v1/namespaces/${h.ns.name}/botmodules/echo`],
        ['GET', '/api/no-such-route'],
      ] as const) {
        const answer = await call(h.url, path, { method, token: null, headers });
        expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.body).toEqual({ error });
        expect(answer.headers.get('www-authenticate')).toContain('Bearer');
      }
    }
    // With a token, an unknown /api path is a JSON 404.
    expect(await call(h.url, '/api/no-such-route')).toMatchObject({
      status: 404,
      body: { error: 'Not found' },
    });
  });

  it('closes every authenticated route when no token is configured', async () => {
    const closed = await startGateway(h.identity, h.ns.name, { EEVEE_OPERATOR_API_TOKEN: '' });
    extra.push(closed);
    for (const [method, path] of [
      ['GET', '/api/bot-modules'],
      ['GET', '/api/health'],
      ['POST', '/api/action/restart-module'],
      ['GET', '/api/v1/botmodules'],
      ['POST', `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`],
    ] as const) {
      for (const token of [null, '', 'anything']) {
        const answer = await call(url(closed), path, { method, token });
        expect(answer, `${method} ${path}`).toMatchObject({
          status: 401,
          body: { error: 'API Token not configured' },
        });
      }
    }
    expect((await call(url(closed), '/readyz', { token: null })).status).toBe(200);
    expect((await call(url(closed), '/api/metrics', { token: null })).status).toBe(200);
    const echo = await h.admin.get(RESOURCES.BotModule, h.ns.name, 'echo');
    expect(echo.metadata.annotations?.['eevee.bot/restartedAt']).toBeUndefined();
  });

  it('reads tokens from a mounted Secret directory, with scopes, and picks up a rotation without a restart', async () => {
    // The layout kubelet gives a Secret volume: key files are symlinks into ..data, swapped atomically.
    const dir = mkdtempSync(join(tmpdir(), 'gw-tokens-'));
    dirs.push(dir);
    const writeVersion = (version: string, keys: Record<string, string>): void => {
      const data = join(dir, `..${version}`);
      mkdirSync(data);
      for (const [key, value] of Object.entries(keys)) writeFileSync(join(data, key), value);
      symlinkSync(`..${version}`, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    };
    writeVersion('v1', { token: 'old-admin-token\n', viewers: 'viewer-token read\n' });
    symlinkSync('..data/token', join(dir, 'token'));
    symlinkSync('..data/viewers', join(dir, 'viewers'));
    const rotating = await startGateway(
      h.identity,
      h.ns.name,
      { EEVEE_OPERATOR_API_TOKEN: '', EEVEE_OPERATOR_API_TOKEN_FILE: dir },
      { tokenReloadMs: 100 },
    );
    extra.push(rotating);
    const restart = (token: string) =>
      call(url(rotating), `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, {
        method: 'POST',
        token,
      });

    expect((await call(url(rotating), '/api/v1/botmodules', { token: 'viewer-token' })).status).toBe(200);
    expect(await restart('viewer-token')).toMatchObject({
      status: 403,
      body: { error: 'Forbidden', details: 'this token may not restart modules' },
    });
    expect((await restart('old-admin-token')).status).toBe(202);

    // Rotation, step 1: both tokens; step 2: only the new one.
    writeVersion('v2', { token: 'old-admin-token\nnew-admin-token\n', viewers: 'viewer-token read\n' });
    await eventually(
      'the new token to work',
      async () => (await restart('new-admin-token')).status,
      (s) => s === 202,
      5000,
    );
    expect((await restart('old-admin-token')).status).toBe(202);
    writeVersion('v3', { token: 'new-admin-token\n', viewers: 'viewer-token read\n' });
    await eventually(
      'the old token to stop working',
      async () => (await restart('old-admin-token')).body,
      (b) => JSON.stringify(b) === '{"error":"Invalid token"}',
      5000,
    );
    expect((await restart('new-admin-token')).status).toBe(202);
  });
});

describe('limits', () => {
  it('answers 429 with upstream’s body and RateLimit headers once the bucket is empty; probes are not limited', async () => {
    const limited = await startGateway(h.identity, h.ns.name, {
      RATE_LIMIT_MAX: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    extra.push(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(url(limited), '/api/bot-modules')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await call(url(limited), '/api/bot-modules');
    expect(refused).toMatchObject({
      status: 429,
      body: { error: 'Too many requests, please try again later' },
    });
    expect(refused.headers.get('retry-after')).toBe('12');
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    // Before authentication, as upstream: an unauthenticated flood is limited too.
    expect((await call(url(limited), '/api/bot-modules', { token: null })).status).toBe(429);
    expect(
      (
        await call(url(limited), `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, {
          method: 'POST',
        })
      ).status,
    ).toBe(429);
    for (let i = 0; i < 20; i++) {
      expect((await call(url(limited), '/healthz', { token: null })).status).toBe(200);
      expect((await call(url(limited), '/readyz', { token: null })).status).toBe(200);
      expect((await call(url(limited), '/api/metrics', { token: null })).status).toBe(200);
    }
  });

  it('answers 413 for a declared body over the limit, before reading it and without a token', async () => {
    const big = JSON.stringify({ moduleName: 'dice', namespace: h.ns.name, pad: 'x'.repeat(2000) });
    const answer = await call(h.url, '/api/action/restart-module', { method: 'POST', body: big });
    expect(answer).toMatchObject({
      status: 413,
      body: { error: 'Request body too large', details: 'the limit is 1024 bytes' },
    });
    expect(
      (await call(h.url, '/api/action/restart-module', { method: 'POST', body: big, token: null })).status,
    ).toBe(413);
    const dice = await h.admin.get(RESOURCES.BotModule, h.ns.name, 'dice');
    expect(dice.metadata.annotations?.['eevee.bot/restartedAt']).toBeUndefined();
  });

  it('answers 413 for a chunked body that grows past the limit while streaming', async () => {
    const { port } = new URL(h.url);
    const answer = await new Promise<{ status: number; body: string }>((resolveAnswer, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/action/restart-module',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => {
            req.destroy();
            resolveAnswer({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.write(`{"moduleName":"dice","namespace":"${h.ns.name}","pad":"`);
      // Keep sending until the server answers; it must not wait for the end.
      const timer = setInterval(() => req.write('x'.repeat(512)), 5);
      req.on('response', () => clearInterval(timer));
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'Request body too large',
      details: 'the limit is 1024 bytes',
    });
    expect((await call(h.url, '/healthz', { token: null })).status).toBe(200);
  });
});
