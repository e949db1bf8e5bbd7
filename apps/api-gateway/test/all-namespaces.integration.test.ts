// WATCH_OTHER_NAMESPACES=true on the real cluster, as the ServiceAccount with the cluster-wide RBAC derived for
// that mode: the v1 list serves the modules of every namespace, the upstream list still only NAMESPACE (as
// upstream did), a module in another namespace can be restarted, and the rules hold in every namespace yet
// grant nothing the namespaced Role does not. Other test files share the cluster, so lists are checked for
// what they must contain, not for equality, except where a namespace of this file is asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@eevee/runtime';
import { createTestNamespace } from '@eevee/testenv';
import type { TestNamespace } from '@eevee/testenv';
import type { ModuleView, RestartAccepted, UpstreamBotModule } from '../src/schemas.ts';
import { serviceAccountMay } from './access-review.ts';
import type { Harness } from './harness.ts';
import { SERVICE_ACCOUNT, applyModule, call, eventuallyAnswers, startGatewayHarness } from './harness.ts';

let h: Harness;
let other: TestNamespace;

type ModuleList = { items: ModuleView[] };
const keys = (items: { namespace: string; name: string }[]): string[] =>
  items.map((m) => `${m.namespace}/${m.name}`);

beforeAll(async () => {
  h = await startGatewayHarness('gwall', { WATCH_OTHER_NAMESPACES: 'true' });
  // Created after the gateway started: a cluster-wide watch needs no restart to see a new namespace.
  other = await createTestNamespace(h.cluster, 'gwallother');
  await applyModule(h.admin, h.ns.name, 'echo');
  await applyModule(h.admin, other.name, 'echo');
  await applyModule(h.admin, other.name, 'dice');
});

afterAll(async () => {
  await h?.stop();
  await other?.delete();
});

describe('serving every namespace', () => {
  it('GET /api/v1/botmodules lists the modules of several namespaces', async () => {
    const wanted = [`${h.ns.name}/echo`, `${other.name}/dice`, `${other.name}/echo`];
    const { items } = await eventuallyAnswers<ModuleList>(
      h.url,
      '/api/v1/botmodules',
      'the modules of both namespaces',
      (body) => wanted.every((k) => keys(body.items).includes(k)),
    );
    expect(new Set(items.map((m) => m.namespace)).size).toBeGreaterThanOrEqual(2);
    const one = await call(h.url, `/api/v1/botmodules?namespace=${other.name}`);
    expect(keys((one.body as ModuleList).items)).toEqual([`${other.name}/dice`, `${other.name}/echo`]);
    expect(await call(h.url, `/api/v1/namespaces/${other.name}/botmodules/dice`)).toMatchObject({
      status: 200,
      body: { namespace: other.name, name: 'dice' },
    });
  });

  it('GET /api/bot-modules still lists only NAMESPACE, as upstream did', async () => {
    // Once the v1 list shows the other namespace, the cache holds it: its absence here is the route's doing.
    await eventuallyAnswers<ModuleList>(h.url, '/api/v1/botmodules', 'the other namespace cached', (body) =>
      keys(body.items).includes(`${other.name}/dice`),
    );
    const list = await call(h.url, '/api/bot-modules');
    expect(list.status).toBe(200);
    expect((list.body as UpstreamBotModule[]).map((m) => `${m.namespace}/${m.crName}`)).toEqual([
      `${h.ns.name}/echo`,
    ]);
  });

  it('restarts a module in another namespace, on the v1 and the upstream route', async () => {
    await eventuallyAnswers<ModuleList>(h.url, '/api/v1/botmodules', 'the other namespace cached', (body) =>
      [`${other.name}/dice`, `${other.name}/echo`].every((k) => keys(body.items).includes(k)),
    );
    const v1 = await call(h.url, `/api/v1/namespaces/${other.name}/botmodules/dice/restart`, {
      method: 'POST',
    });
    expect(v1).toMatchObject({ status: 202, body: { namespace: other.name, name: 'dice' } });
    const dice = await h.admin.get(RESOURCES.BotModule, other.name, 'dice');
    expect(dice.metadata.annotations?.['eevee.bot/restartedAt']).toBe(
      (v1.body as RestartAccepted).restartedAt,
    );

    const upstream = await call(h.url, '/api/action/restart-module', {
      method: 'POST',
      body: { moduleName: 'echo', namespace: other.name },
    });
    expect(upstream).toMatchObject({
      status: 200,
      body: { message: 'Module echo restart initiated successfully' },
    });
    const echo = await h.admin.get(RESOURCES.BotModule, other.name, 'echo');
    expect(echo.metadata.annotations?.['eevee.bot/restartedAt']).toBeDefined();
    // The same name in NAMESPACE was not touched.
    const home = await h.admin.get(RESOURCES.BotModule, h.ns.name, 'echo');
    expect(home.metadata.annotations?.['eevee.bot/restartedAt']).toBeUndefined();
  });
});

describe('the RBAC of that mode', () => {
  const may = (verb: string, group: string, resource: string, namespace: string, subresource?: string) =>
    serviceAccountMay(
      h.admin,
      { namespace: h.ns.name, name: SERVICE_ACCOUNT },
      { verb, group, resource, namespace, subresource },
    );

  it('grants the gateway’s verbs in every namespace, and cluster-wide lists and watches', async () => {
    // '' is every namespace at once: the informers' cluster-wide list and watch.
    for (const namespace of [h.ns.name, other.name, 'kube-system', '']) {
      for (const verb of ['list', 'watch', 'patch'])
        expect(await may(verb, 'eevee.bot', 'botmodules', namespace), `${verb} in '${namespace}'`).toBe(true);
      for (const verb of ['list', 'watch']) {
        expect(await may(verb, 'apps', 'deployments', namespace), `${verb} deployments`).toBe(true);
        expect(await may(verb, '', 'pods', namespace), `${verb} pods`).toBe(true);
      }
      expect(await may('create', 'events.k8s.io', 'events', namespace)).toBe(true);
    }
  });

  it('grants nothing more than the namespaced Role, in any namespace', async () => {
    const denied: [string, string, string, string?][] = [
      ['patch', 'apps', 'deployments'],
      ['update', 'apps', 'deployments'],
      ['get', '', 'secrets'],
      ['list', '', 'secrets'],
      ['patch', 'eevee.bot', 'botmodules', 'status'],
      ['delete', 'eevee.bot', 'botmodules'],
      ['get', 'apps', 'deployments'],
      ['list', '', 'namespaces'],
    ];
    for (const namespace of [other.name, ''])
      for (const [verb, group, resource, subresource] of denied)
        expect(
          await may(verb, group, resource, namespace, subresource),
          `${verb} ${group}/${resource}${subresource ? `/${subresource}` : ''} in '${namespace}'`,
        ).toBe(false);
  });
});
