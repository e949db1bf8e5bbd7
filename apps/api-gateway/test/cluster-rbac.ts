// The gateway's RBAC when it serves every namespace (WATCH_OTHER_NAMESPACES=true), as the chart renders it for
// that mode (eevee-lib's _rbac.tpl with global.watchOtherNamespaces): the rules of the namespaced Role
// (policyRules of the declared access) in a ClusterRole, bound to the ServiceAccount by a ClusterRoleBinding.
// The gateway declares no own-namespace rules (no leader election), so there is no extra Role.
import { KubeClient, RESOURCES, policyRules } from '@eevee/runtime';
import type { ProcessPermissions, ResourceType } from '@eevee/runtime';
import type { Cluster } from '@eevee/testenv';

const rbacType = (kind: string, plural: string): ResourceType => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  plural,
  namespaced: false,
});
const CLUSTER_ROLE = rbacType('ClusterRole', 'clusterroles');
const CLUSTER_ROLE_BINDING = rbacType('ClusterRoleBinding', 'clusterrolebindings');

/**
 * Creates the ServiceAccount `name` in `namespace` with `permissions` in every namespace. Cluster-scoped objects
 * outlive the test namespace, so they are named after it and the returned function removes them.
 */
export async function applyClusterRbac(
  cluster: Cluster,
  name: string,
  namespace: string,
  permissions: ProcessPermissions,
): Promise<() => Promise<void>> {
  if (permissions.ownNamespace.length > 0)
    throw new Error('own-namespace rules need the Role the chart adds beside the ClusterRole');
  const client = new KubeClient(cluster.kubeConfig);
  const clusterName = `${name}-${namespace}`;
  const apiVersion = 'rbac.authorization.k8s.io/v1';
  await client.apply(
    RESOURCES.ServiceAccount,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    'eevee-test',
  );
  await client.apply(
    CLUSTER_ROLE,
    {
      apiVersion,
      kind: CLUSTER_ROLE.kind,
      metadata: { name: clusterName },
      rules: policyRules(permissions.access),
    },
    'eevee-test',
  );
  await client.apply(
    CLUSTER_ROLE_BINDING,
    {
      apiVersion,
      kind: CLUSTER_ROLE_BINDING.kind,
      metadata: { name: clusterName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: CLUSTER_ROLE.kind, name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    'eevee-test',
  );
  return async () => {
    await client.delete(CLUSTER_ROLE_BINDING, undefined, clusterName);
    await client.delete(CLUSTER_ROLE, undefined, clusterName);
  };
}
