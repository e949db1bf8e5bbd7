// Least privilege: GATEWAY_PERMISSIONS (what the chart ships) lets the gateway list and watch BotModules,
// Deployments and Pods (its caches; it never gets one by name), patch BotModules (the restart annotation) and
// record Events, and nothing else: no Deployment writes, no Secrets, no status
// writes, nothing outside its namespace. Asserted with SubjectAccessReviews and `kubectl auth can-i`; the other
// integration tests run the gateway as this ServiceAccount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@eevee/testenv';
import { serviceAccountMay } from './access-review.ts';
import type { Harness } from './harness.ts';
import { SERVICE_ACCOUNT, applyModule, call, startGatewayHarness } from './harness.ts';

let h: Harness;
let user: string;

beforeAll(async () => {
  h = await startGatewayHarness('gwrbac');
  user = `system:serviceaccount:${h.ns.name}:${SERVICE_ACCOUNT}`;
});

afterAll(async () => {
  await h?.stop();
});

function allowed(
  verb: string,
  group: string,
  resource: string,
  options: { subresource?: string; namespace?: string } = {},
): Promise<boolean> {
  return serviceAccountMay(
    h.admin,
    { namespace: h.ns.name, name: SERVICE_ACCOUNT },
    { verb, group, resource, subresource: options.subresource, namespace: options.namespace ?? h.ns.name },
  );
}

async function canI(verb: string, resource: string): Promise<string> {
  try {
    return (
      await h.cluster.kubectl(['auth', 'can-i', `--as=${user}`, '-n', h.ns.name, verb, resource])
    ).trim();
  } catch (err) {
    // kubectl exits 1 for "no".
    return String((err as { stdout?: string }).stdout ?? err).trim();
  }
}

describe('the shipped Role', () => {
  it('allows exactly reading modules, Deployments and pods, patching BotModules and creating Events', async () => {
    for (const verb of ['list', 'watch', 'patch'])
      expect(await allowed(verb, 'eevee.bot', 'botmodules'), verb).toBe(true);
    for (const verb of ['list', 'watch']) {
      expect(await allowed(verb, 'apps', 'deployments'), `${verb} deployments`).toBe(true);
      expect(await allowed(verb, '', 'pods'), `${verb} pods`).toBe(true);
    }
    expect(await allowed('create', 'events.k8s.io', 'events')).toBe(true);
  });

  it('denies Deployment writes, Secrets, status and other writes, and other namespaces', async () => {
    const denied: [string, string, string, { subresource?: string; namespace?: string }?][] = [
      ['patch', 'apps', 'deployments'],
      ['update', 'apps', 'deployments'],
      ['create', 'apps', 'deployments'],
      ['delete', 'apps', 'deployments'],
      ['patch', 'apps', 'deployments', { subresource: 'scale' }],
      ['get', '', 'secrets'],
      ['list', '', 'secrets'],
      ['watch', '', 'secrets'],
      ['patch', 'eevee.bot', 'botmodules', { subresource: 'status' }],
      ['update', 'eevee.bot', 'botmodules'],
      ['create', 'eevee.bot', 'botmodules'],
      ['delete', 'eevee.bot', 'botmodules'],
      ['delete', '', 'pods'],
      ['create', '', 'pods', { subresource: 'exec' }],
      ['patch', 'apps', 'replicasets'],
      ['get', '', 'configmaps'],
      ['get', 'apps', 'deployments'],
      ['patch', 'eevee.bot', 'ipcconfigs'],
      ['patch', 'eevee.bot', 'botmodules', { namespace: 'default' }],
      ['list', 'eevee.bot', 'botmodules', { namespace: 'kube-system' }],
      // Every namespace at once: what a cluster-wide informer would need (all-namespaces.integration.test.ts).
      ['list', 'eevee.bot', 'botmodules', { namespace: '' }],
    ];
    for (const [verb, group, resource, options] of denied)
      expect(
        await allowed(verb, group, resource, options),
        `${verb} ${group}/${resource} ${JSON.stringify(options ?? {})}`,
      ).toBe(false);
  });

  it('says the same through kubectl auth can-i', async () => {
    expect(await canI('patch', 'botmodules.eevee.bot')).toBe('yes');
    expect(await canI('patch', 'deployments.apps')).toBe('no');
    expect(await canI('get', 'secrets')).toBe('no');
    expect(await canI('list', 'secrets')).toBe('no');
  });

  it('is enough for the gateway to list and restart as that ServiceAccount', async () => {
    await applyModule(h.admin, h.ns.name, 'echo');
    await eventually(
      'echo listed',
      async () => (await call(h.url, '/api/bot-modules')).body,
      (b) => Array.isArray(b) && b.length === 1,
    );
    expect(
      (await call(h.url, `/api/v1/namespaces/${h.ns.name}/botmodules/echo/restart`, { method: 'POST' }))
        .status,
    ).toBe(202);
  });
});
