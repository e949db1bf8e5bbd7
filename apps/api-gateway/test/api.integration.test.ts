// The gateway on the real cluster, as its ServiceAccount: the lists match what the cluster has (BotModules with
// the status the module-controller writes, their Deployments and kwok's pods), one module by name, restarts
// set the annotation (and nothing else), and namespaces it does not serve are 404 — read or write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import { createTestNamespace, eventually } from '@eevee/testenv';
import type { TestNamespace } from '@eevee/testenv';
import type { ModuleView, UpstreamBotModule } from '../src/schemas.ts';
import type { Harness } from './harness.ts';
import {
  applyModule,
  applyModuleDeployment,
  applyModuleStatus,
  call,
  eventuallyAnswers,
  startGatewayHarness,
} from './harness.ts';

let h: Harness;
let other: TestNamespace;

type ModuleObject = KubeObject & { status?: { phase?: string } };
type PodObject = KubeObject & { status?: { phase?: string } };

beforeAll(async () => {
  h = await startGatewayHarness('gwapi');
  other = await createTestNamespace(h.cluster, 'gwother');
  for (const name of ['echo', 'dice', 'router']) await applyModule(h.admin, h.ns.name, name);
  await applyModule(h.admin, h.ns.name, 'disabled', { enabled: false });
  await applyModuleStatus(h.admin, h.ns.name, 'echo', 'Ready');
  await applyModuleStatus(h.admin, h.ns.name, 'dice', 'Ready');
  await applyModuleStatus(h.admin, h.ns.name, 'router', 'Creating');
  await applyModuleDeployment(h.admin, h.ns.name, 'echo');
  await applyModuleDeployment(h.admin, h.ns.name, 'dice', 2);
  // Same names in a namespace the gateway does not serve.
  await applyModule(h.admin, other.name, 'echo');
});

afterAll(async () => {
  await h?.stop();
  await other?.delete();
});

describe('reading', () => {
  it('GET /api/bot-modules lists the namespace as the cluster has it, in upstream shape', async () => {
    const list = await eventuallyAnswers<UpstreamBotModule[]>(
      h.url,
      '/api/bot-modules',
      'every module with its running pods',
      (items) =>
        items.length === 4 &&
        items.find((m) => m.crName === 'echo')?.podStatus?.phase === 'Running' &&
        items.find((m) => m.crName === 'dice')?.podStatus?.ready === true,
    );
    const modules = await h.admin.list<ModuleObject>(RESOURCES.BotModule, { namespace: h.ns.name });
    expect(list.map((m) => m.crName)).toEqual(modules.items.map((m) => m.metadata.name).sort());
    expect(list.find((m) => m.crName === 'echo')).toMatchObject({
      name: 'echo',
      namespace: h.ns.name,
      image: 'ghcr.io/eeveebot/echo:1.0.0',
      tag: '1.0.0',
      enabled: true,
      podStatus: { phase: 'Running', ready: true, restartCount: 0 },
    });
    expect(list.find((m) => m.crName === 'disabled')).toMatchObject({ enabled: false, podStatus: null });
    expect(list.find((m) => m.crName === 'router')?.podStatus).toBeNull();
    // The pod it describes is one the cluster has.
    const pods = await h.admin.list<PodObject>(RESOURCES.Pod, {
      namespace: h.ns.name,
      labelSelector: 'eevee.bot/module=echo',
    });
    expect(pods.items.map((p) => p.status?.phase)).toContain(
      list.find((m) => m.crName === 'echo')?.podStatus?.phase,
    );
  });

  it('GET /api/v1/botmodules has phases, replicas and pods from the caches', async () => {
    const { items } = await eventuallyAnswers<{ items: ModuleView[] }>(
      h.url,
      '/api/v1/botmodules',
      'dice with two ready pods',
      (body) => body.items.find((m) => m.name === 'dice')?.replicas.ready === 2,
    );
    expect(items.map((m) => [m.name, m.phase])).toEqual([
      ['dice', 'Ready'],
      ['disabled', null],
      ['echo', 'Ready'],
      ['router', 'Creating'],
    ]);
    const dice = items.find((m) => m.name === 'dice');
    expect(dice?.replicas).toEqual({ desired: 2, current: 2, ready: 2, updated: 2 });
    expect(dice?.pods).toHaveLength(2);
    expect(dice?.pods.every((p) => p.phase === 'Running' && p.ready)).toBe(true);
    const byNamespace = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules`);
    expect((byNamespace.body as { items: ModuleView[] }).items.map((m) => m.name)).toEqual(
      items.map((m) => m.name),
    );
    const filtered = await call(h.url, `/api/v1/botmodules?namespace=${h.ns.name}`);
    expect(filtered.body).toEqual(byNamespace.body);
  });

  it('follows the cluster: a new module and a deleted one show up without a restart', async () => {
    await applyModule(h.admin, h.ns.name, 'late');
    await eventuallyAnswers<{ items: ModuleView[] }>(h.url, '/api/v1/botmodules', 'the new module', (b) =>
      b.items.some((m) => m.name === 'late'),
    );
    await h.admin.delete(RESOURCES.BotModule, h.ns.name, 'late');
    await eventuallyAnswers<{ items: ModuleView[] }>(h.url, '/api/v1/botmodules', 'the module gone', (b) =>
      b.items.every((m) => m.name !== 'late'),
    );
  });

  it('GET one module; 404 for a missing one and for any namespace it does not serve', async () => {
    const echo = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/echo`);
    expect(echo.status).toBe(200);
    expect(echo.body).toMatchObject({
      namespace: h.ns.name,
      name: 'echo',
      moduleName: 'echo',
      phase: 'Ready',
    });

    const missing = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/nope`);
    expect(missing).toMatchObject({
      status: 404,
      body: { error: `BotModule nope not found in namespace ${h.ns.name}` },
    });
    for (const path of [
      `/api/v1/namespaces/${other.name}/botmodules/echo`,
      `/api/v1/namespaces/${other.name}/botmodules`,
      `/api/v1/botmodules?namespace=${other.name}`,
      `/api/v1/namespaces/kube-system/botmodules`,
    ]) {
      const answer = await call(h.url, path);
      expect(answer.status, path).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain('ghcr.io');
    }
  });
});

describe('restarting', () => {
  it('POST /api/v1/.../restart sets eevee.bot/restartedAt with its own field manager and answers 202', async () => {
    const before = await h.admin.get<ModuleObject>(RESOURCES.BotModule, h.ns.name, 'echo');
    const answer = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, {
      method: 'POST',
    });
    expect(answer.status).toBe(202);
    const body = answer.body as { restartedAt: string };
    expect(answer.body).toMatchObject({
      namespace: h.ns.name,
      name: 'echo',
      annotation: 'eevee.bot/restartedAt',
      previousRestartedAt: null,
      eventPublished: false,
    });
    expect(new Date(body.restartedAt).toISOString()).toBe(body.restartedAt);

    const after = await h.admin.get<ModuleObject & { spec: unknown }>(RESOURCES.BotModule, h.ns.name, 'echo');
    expect(after.metadata.annotations?.['eevee.bot/restartedAt']).toBe(body.restartedAt);
    // Only the annotation changed: same spec generation, status untouched.
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.status?.phase).toBe('Ready');
    const managers = (after.metadata.managedFields as { manager: string; fieldsV1?: unknown }[]).filter(
      (f) => f.manager === 'eevee-api-gateway',
    );
    expect(managers).toHaveLength(1);
    // It owns the one annotation (and the annotations map it may have created), nothing else.
    expect(managers[0]?.fieldsV1).toEqual({
      'f:metadata': {
        'f:annotations': expect.objectContaining({ 'f:eevee.bot/restartedAt': {} }) as unknown,
      },
    });
    const owned = (managers[0]?.fieldsV1 as { 'f:metadata': { 'f:annotations': Record<string, unknown> } })[
      'f:metadata'
    ]['f:annotations'];
    expect(Object.keys(owned).filter((k) => k !== '.')).toEqual(['f:eevee.bot/restartedAt']);
    // The Deployment is the module-controller's: the gateway did not touch it.
    const deployment = await h.admin.get(RESOURCES.Deployment, h.ns.name, 'eevee-echo-module');
    expect(JSON.stringify(deployment.metadata.managedFields)).not.toContain('eevee-api-gateway');

    // The cache follows, so the view and the next restart know the previous value.
    await eventuallyAnswers<ModuleView>(
      h.url,
      `/api/v1/namespaces/${h.ns.name}/botmodules/echo`,
      'restartedAt',
      (m) => m.restartedAt === body.restartedAt,
    );
    const again = await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, {
      method: 'POST',
    });
    expect(again.body).toMatchObject({ previousRestartedAt: body.restartedAt });
  });

  it('records a RestartRequested Event on the BotModule', async () => {
    await eventually(
      'a RestartRequested event',
      () =>
        h.admin.list<KubeObject & { reason?: string; regarding?: { name?: string } }>(RESOURCES.Event, {
          namespace: h.ns.name,
        }),
      (list) => list.items.some((e) => e.reason === 'RestartRequested' && e.regarding?.name === 'echo'),
    );
  });

  it('POST /api/action/restart-module keeps upstream’s bodies', async () => {
    const ok = await call(h.url, '/api/action/restart-module', {
      method: 'POST',
      body: { moduleName: 'dice', namespace: h.ns.name },
    });
    expect(ok).toMatchObject({
      status: 200,
      body: { message: 'Module dice restart initiated successfully' },
    });
    const dice = await h.admin.get(RESOURCES.BotModule, h.ns.name, 'dice');
    expect(dice.metadata.annotations?.['eevee.bot/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(
      await call(h.url, '/api/action/restart-module', { method: 'POST', body: { namespace: h.ns.name } }),
    ).toMatchObject({
      status: 400,
      body: { error: 'moduleName is required' },
    });
    expect(
      await call(h.url, '/api/action/restart-module', { method: 'POST', body: { moduleName: 'dice' } }),
    ).toMatchObject({
      status: 400,
      body: { error: 'namespace is required' },
    });
    expect(
      await call(h.url, '/api/action/restart-module', {
        method: 'POST',
        body: { moduleName: 'nope', namespace: h.ns.name },
      }),
    ).toMatchObject({ status: 404, body: { error: `BotModule nope not found in namespace ${h.ns.name}` } });
  });

  it('never restarts outside its namespaces: 404, and the other namespace’s module is untouched', async () => {
    const upstream = await call(h.url, '/api/action/restart-module', {
      method: 'POST',
      body: { moduleName: 'echo', namespace: other.name },
    });
    expect(upstream).toMatchObject({
      status: 404,
      body: { error: `BotModule echo not found in namespace ${other.name}` },
    });
    const v1 = await call(h.url, `/api/v1/namespaces/${other.name}/botmodules/echo/restart`, {
      method: 'POST',
    });
    expect(v1.status).toBe(404);
    const untouched = await h.admin.get(RESOURCES.BotModule, other.name, 'echo');
    expect(untouched.metadata.annotations?.['eevee.bot/restartedAt']).toBeUndefined();
  });

  it('counts requests by route and status, and restarts by module', async () => {
    const metrics = await call(h.url, '/api/metrics', { token: null });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /eevee_operator_api_requests_total\{method="POST",route="\/api\/v1\/namespaces\/:namespace\/botmodules\/:name\/restart",status_code="202"\} 2/,
    );
    expect(metrics.text).toMatch(
      /eevee_operator_api_requests_total\{method="GET",route="\/api\/bot-modules",status_code="200"\} \d+/,
    );
    expect(metrics.text).toMatch(
      new RegExp(
        `eevee_operator_module_restarts_total\\{module_name="echo",namespace="${h.ns.name}",success="true"\\} 2`,
      ),
    );
    expect(metrics.text).toContain(
      'eevee_operator_api_request_duration_seconds_bucket{le="0.01",method="GET",route="/api/bot-modules",status_code="200"}',
    );
    expect(metrics.text).toContain('process_cpu_seconds_total');
  });
});

describe('open routes', () => {
  it('serves probes, metrics and the OpenAPI document without a token', async () => {
    expect(await call(h.url, '/healthz', { token: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await call(h.url, '/readyz', { token: null })).toMatchObject({
      status: 200,
      body: { status: 'ready' },
    });
    const doc = await call(h.url, '/api/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ openapi: '3.1.0', paths: { '/api/bot-modules': { get: {} } } });
    // Upstream's greeting for JSON clients at /.
    const root = await call(h.url, '/', { token: null, headers: { accept: 'application/json' } });
    expect(root.body).toMatchObject({ message: 'eevee.bot Operator API' });
  });

  it('GET /api/health keeps upstream’s body (and its token requirement)', async () => {
    const health = await call(h.url, '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect((await call(h.url, '/api/health', { token: null })).status).toBe(401);
  });
});
