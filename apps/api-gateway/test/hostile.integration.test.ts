// Hostile input gets a 4xx (JSON where the gateway answers, Node's own 4xx where the HTTP parser refuses), never
// a 500, a stack trace, data from another namespace, or a crash: the gateway still answers afterwards.
import { connect } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import type { Harness } from './harness.ts';
import { TOKEN, applyModule, call, startGatewayHarness } from './harness.ts';

let h: Harness;
let port: number;
const bodies: string[] = [];

beforeAll(async () => {
  h = await startGatewayHarness('gwhostile');
  port = h.gateway.port;
  await applyModule(h.admin, h.ns.name, 'echo');
});

afterAll(async () => {
  await h?.stop();
});

/** A request exactly as written (no URL normalisation), over a raw socket; the status line's code. */
function raw(text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveRaw, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      bodies.push(body);
      resolveRaw({ status, body });
    });
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** A request with an exact path (node:http sends it as given). */
function exactPath(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${TOKEN}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          bodies.push(body);
          resolveAnswer({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('hostile requests', () => {
  it('refuses oversized headers and malformed requests at the HTTP parser', async () => {
    expect((await exactPath('GET', '/api/bot-modules', { 'x-junk': 'a'.repeat(20_000) })).status).toBe(431);
    expect((await exactPath('GET', `/api/bot-modules?${'q'.repeat(20_000)}`)).status).toBe(431);
    expect((await raw('GARBAGE\r\n\r\n')).status).toBe(400);
    expect((await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')).status).toBe(
      400,
    );
    expect((await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')).status).toBe(400);
    expect(
      (
        await raw(
          `GET /api/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
        )
      ).status,
    ).toBe(200);
  });

  it('answers malformed and unexpected bodies with a JSON 4xx', async () => {
    const post = (body: string, contentType = 'application/json') =>
      call(h.url, '/api/action/restart-module', {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
    expect(await post('{"moduleName": "echo",')).toMatchObject({
      status: 400,
      body: { error: 'Invalid JSON body' },
    });
    expect(await post('\u0000\u0001')).toMatchObject({ status: 400, body: { error: 'Invalid JSON body' } });
    expect(await post('[]')).toMatchObject({ status: 400, body: { error: 'moduleName is required' } });
    expect(await post('null')).toMatchObject({ status: 400, body: { error: 'moduleName is required' } });
    expect(await post('"echo"')).toMatchObject({ status: 400, body: { error: 'moduleName is required' } });
    expect(await post(JSON.stringify({ moduleName: ['echo'], namespace: h.ns.name }))).toMatchObject({
      status: 400,
      body: { error: 'moduleName must be a string' },
    });
    expect(await post(`{"__proto__": {"moduleName": "echo"}, "namespace": "${h.ns.name}"}`)).toMatchObject({
      status: 400,
      body: { error: 'moduleName is required' },
    });
    expect(await post('['.repeat(40_000) + ']'.repeat(40_000))).toMatchObject({ status: 400 });
    expect(await post('moduleName=echo', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      body: { error: 'Unsupported media type' },
    });
    expect(await post(JSON.stringify({ moduleName: 'e'.repeat(300), namespace: h.ns.name }))).toMatchObject({
      status: 400,
      body: { error: 'moduleName must be at most 253 characters' },
    });
    expect(await post(JSON.stringify({ moduleName: 'echo', namespace: 'n'.repeat(64) }))).toMatchObject({
      status: 400,
      body: { error: 'namespace must be at most 63 characters' },
    });
    expect(await post(JSON.stringify({ moduleName: '../echo', namespace: h.ns.name }))).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^moduleName must be a DNS-1123 subdomain/) as unknown },
    });
    const echo = await h.admin.get(RESOURCES.BotModule, h.ns.name, 'echo');
    expect(echo.metadata.annotations?.['eevee.bot/restartedAt']).toBeUndefined();
  });

  it('treats path tricks as names that do not exist (404), never as another path or namespace', async () => {
    const ns = h.ns.name;
    const paths = [
      `/api/v1/namespaces/${ns}/botmodules/..%2F..%2F..%2Fapi%2Fbot-modules`,
      `/api/v1/namespaces/..%2Fkube-system/botmodules`,
      `/api/v1/namespaces/${ns}%2F..%2Fkube-system/botmodules`,
      `/api/v1/namespaces/${ns}/botmodules/%E0%A4%A`,
      `/api/v1/namespaces/${ns}/botmodules/echo%00`,
      `/api/v1/namespaces/${ns}/botmodules/%2e%2e`,
      `/api/v1/namespaces/${ns}/botmodules/${'a'.repeat(5000)}`,
      `/api/v1/namespaces/${ns}/botmodules/echo/../../../bot-modules`,
      '/api/v1/../bot-modules',
      `/api/v1/namespaces/%252e%252e/botmodules`,
    ];
    for (const path of paths) {
      const answer = await exactPath('GET', path);
      expect(answer.status, path).toBe(404);
      const body = JSON.parse(answer.body) as { error: string };
      expect(body.error.length, path).toBeLessThan(600);
    }
    for (const path of paths.filter((p) => p.includes('/botmodules/'))) {
      expect((await exactPath('POST', `${path}/restart`)).status, path).toBe(404);
    }
    expect((await exactPath('GET', `/api/v1/botmodules?namespace=${ns}&namespace=kube-system`)).status).toBe(
      400,
    );
  });

  it('does not let case, slashes or methods around authentication', async () => {
    for (const path of ['/API/BOT-MODULES', '/api/bot-modules/', '/Api/V1/BotModules']) {
      const answer = await call(h.url, path, { token: null });
      expect(answer.status, path).toBe(401);
    }
    expect((await call(h.url, '//api/bot-modules', { token: null })).status).toBe(404);
    expect(await call(h.url, '/api/action/restart-module', { method: 'GET' })).toMatchObject({
      status: 405,
      body: { error: 'Method Not Allowed' },
    });
    expect((await call(h.url, '/api/bot-modules', { method: 'DELETE' })).status).toBe(405);
    expect((await exactPath('PROPFIND', '/api/bot-modules')).status).toBe(501);
    expect((await call(h.url, '/api/action/restart-module', { method: 'PUT', token: null })).status).toBe(
      401,
    );
  });

  it('is still healthy, and no answer carried a stack trace or a 5xx body', async () => {
    expect((await call(h.url, '/healthz', { token: null })).status).toBe(200);
    const list = await call(h.url, '/api/bot-modules');
    expect(list.status).toBe(200);
    expect((list.body as unknown[]).length).toBe(1);
    for (const body of bodies) {
      expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(body).not.toContain('Internal server error');
    }
    const metrics = await call(h.url, '/api/metrics', { token: null });
    // 501 is the answer to PROPFIND above; nothing failed inside the gateway.
    expect(metrics.text).not.toMatch(/status_code="5(?!01)\d\d"/);
  });
});
