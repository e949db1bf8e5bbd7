// For the apps' integration tests (import from '@eevee/runtime/testing'; needs @eevee/testenv, a dev
// dependency): runs a controller in process, on the real test cluster, in a fresh namespace.
import { crdManifestFiles } from '@eevee/crds';
import { createTestNamespace, freePort, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import type { ControllerDefinition } from './controller.ts';
import { KubeClient } from './kube-client.ts';
import type { KubeObject } from './kube-client.ts';
import { RESOURCES } from './resources.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { runManager } from './manager.ts';
import { clusterWideRbac, managerPermissions, namespacedRbac } from './permissions.ts';
import type { ProcessPermissions } from './permissions.ts';
import type { Manager } from './manager.ts';

export interface ControllerHarness {
  cluster: Cluster;
  ns: TestNamespace;
  manager: Manager;
  /** Full rights, for the test's own setup (the manager may run with a restricted identity). */
  admin: KubeClient;
  stop(): Promise<void>;
}

export interface ControllerHarnessOptions {
  /** The manager's name (eevee-<name> is its field manager and Lease). */
  name: string;
  controllers: ControllerDefinition<unknown>[];
  /** Test namespace prefix. */
  prefix: string;
  env?: Record<string, string>;
  /**
   * Run as a ServiceAccount of this name with the permissions the controllers declare (managerPermissions, the
   * same rules the chart ships) in the test namespace: a call RBAC would refuse fails the test.
   */
  asServiceAccount?: { name: string };
  /** Default: errors only, to the console. Tests that assert on what the controller logs pass their own. */
  logger?: Logger;
}

export async function startControllerHarness(options: ControllerHarnessOptions): Promise<ControllerHarness> {
  const cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  const ns = await createTestNamespace(cluster, options.prefix);
  let kubeConfig = cluster.kubeConfig;
  if (options.asServiceAccount) {
    await applyRbac(cluster, options.asServiceAccount.name, ns.name, managerPermissions(options.controllers));
    kubeConfig = await cluster.serviceAccountKubeConfig(ns.name, options.asServiceAccount.name);
  }
  const port = String(await freePort());
  const manager = await runManager({
    name: options.name,
    controllers: options.controllers,
    kubeConfig,
    env: {
      LEADER_ELECT: 'false',
      NAMESPACE: ns.name,
      METRICS_PORT: port,
      HEALTH_PORT: port,
      LOG_LEVEL: 'error',
      ...options.env,
    },
    handleSignals: false,
    logger: options.logger ?? createLogger({ name: options.name, level: 'error' }),
  });
  return {
    cluster,
    ns,
    manager,
    admin: new KubeClient(cluster.kubeConfig),
    stop: async () => {
      await manager.stop();
      await ns.delete();
    },
  };
}

/** Creates (or updates) a ServiceAccount, Role and RoleBinding for `permissions` in `namespace`. */
export async function applyRbac(
  cluster: Cluster,
  name: string,
  namespace: string,
  permissions: ProcessPermissions,
): Promise<void> {
  const client = new KubeClient(cluster.kubeConfig);
  const types = [RESOURCES.ServiceAccount, RESOURCES.Role, RESOURCES.RoleBinding];
  const objects = namespacedRbac(name, namespace, permissions);
  for (const [i, obj] of objects.entries()) await client.apply(types[i]!, obj, 'eevee-test', { force: true });
}

/**
 * Creates (or updates) a ServiceAccount with `permissions` in every namespace (see clusterWideRbac). The
 * cluster-scoped objects are named after the namespace; the returned function removes them.
 */
export async function applyClusterRbac(
  cluster: Cluster,
  name: string,
  namespace: string,
  permissions: ProcessPermissions,
): Promise<() => Promise<void>> {
  const client = new KubeClient(cluster.kubeConfig);
  const clusterName = `${name}-${namespace}`;
  const types = [RESOURCES.ServiceAccount, RESOURCES.ClusterRole, RESOURCES.ClusterRoleBinding];
  const objects = clusterWideRbac(name, namespace, clusterName, permissions);
  for (const [i, obj] of objects.entries()) await client.apply(types[i]!, obj, 'eevee-test', { force: true });
  return async () => {
    await client.delete(RESOURCES.ClusterRoleBinding, undefined, clusterName);
    await client.delete(RESOURCES.ClusterRole, undefined, clusterName);
  };
}

/** The Events recorded on an object, as "reason: note" (events.k8s.io/v1). */
export async function eventsOf(admin: KubeClient, namespace: string, name: string): Promise<string[]> {
  const list = await admin.list<
    KubeObject & { reason?: string; note?: string; regarding?: { name?: string } }
  >(RESOURCES.Event, { namespace });
  return list.items.filter((e) => e.regarding?.name === name).map((e) => `${e.reason}: ${e.note}`);
}
