// Restricted identities (client certificates and ServiceAccount tokens) get exactly what RBAC grants.
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '../src/index.ts';
import type { Cluster, TestNamespace } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let rbac: RbacAuthorizationV1Api;
let admin: CoreV1Api;

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'rbac');
  rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  admin = cluster.kubeConfig.makeApiClient(CoreV1Api);
  await rbac.createNamespacedRole({
    namespace: ns.name,
    body: {
      metadata: { name: 'configmap-reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    },
  });
});

afterAll(async () => {
  await ns?.delete();
});

function statusOf(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

async function expectForbidden(call: Promise<unknown>): Promise<void> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the call should have been refused').toBeDefined();
  expect(statusOf(err)).toBe(403);
}

describe('RBAC for restricted identities', () => {
  it('a client-certificate user gets 403 until a RoleBinding grants it, and only for what the Role allows', async () => {
    const alice = (await cluster.userKubeConfig('alice', ['dev-team'])).makeApiClient(CoreV1Api);
    await expectForbidden(alice.listNamespacedConfigMap({ namespace: ns.name }));

    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: 'dev-team-reads' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
        subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'dev-team' }],
      },
    });
    const list = await eventually(
      'alice to be allowed to list configmaps',
      () => alice.listNamespacedConfigMap({ namespace: ns.name }),
      () => true,
    );
    expect(list.items.map((c) => c.metadata?.name)).toContain('kube-root-ca.crt');
    await expectForbidden(alice.listNamespacedSecret({ namespace: ns.name }));
    await expectForbidden(
      alice.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'nope' } } }),
    );
    await expectForbidden(alice.listNamespacedConfigMap({ namespace: 'default' }));
  });

  it('a ServiceAccount token is authenticated and limited by its RoleBinding', async () => {
    await admin.createNamespacedServiceAccount({
      namespace: ns.name,
      body: { metadata: { name: 'operator' } },
    });
    const operator = (await cluster.serviceAccountKubeConfig(ns.name, 'operator')).makeApiClient(CoreV1Api);
    await expectForbidden(operator.listNamespacedConfigMap({ namespace: ns.name }));
    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: 'operator-reads' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: ns.name }],
      },
    });
    await eventually(
      'the operator SA to be allowed to list configmaps',
      () => operator.listNamespacedConfigMap({ namespace: ns.name }),
      () => true,
    );
    await expectForbidden(
      operator.deleteNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: ns.name }),
    );
  });
});
