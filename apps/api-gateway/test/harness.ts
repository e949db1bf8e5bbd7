// Runs the real gateway in process against the test cluster, in a fresh namespace, as the ServiceAccount of
// GATEWAY_PERMISSIONS (exactly the permissions the chart ships), listening on 127.0.0.1. Other controllers are played
// through their contracts: the module-controller's Deployment and BotModule status are written here with their
// own field managers. With WATCH_OTHER_NAMESPACES the ServiceAccount gets the cluster-wide RBAC the chart
// derives for that mode instead of a Role.
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES, createLogger } from '@eevee/runtime';
import type { KubeObject, KubeconfigSource } from '@eevee/runtime';
import { createTestNamespace, eventually, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { applyClusterRbac, applyRbac } from '@eevee/runtime/testing';
import { parseGatewayConfig } from '../src/config.ts';
import { Gateway } from '../src/gateway.ts';
import { GATEWAY_PERMISSIONS } from '../src/kube/permissions.ts';

export const TOKEN = 'integration-test-token-0123456789';
export const SERVICE_ACCOUNT = 'eevee-api-gateway';

export interface Harness {
  cluster: Cluster;
  ns: TestNamespace;
  admin: KubeClient;
  gateway: Gateway;
  url: string;
  /** The ServiceAccount kubeconfig, for more gateways in the same namespace. */
  identity: KubeconfigSource;
  stop(): Promise<void>;
}

export async function startGatewayHarness(
  prefix: string,
  env: Record<string, string> = {},
  options: { tokenReloadMs?: number } = {},
): Promise<Harness> {
  const cluster = await testCluster();
  await cluster.applyFiles(crdManifestFiles());
  const ns = await createTestNamespace(cluster, prefix);
  // The gateway's own reading of the variable decides, as in the chart (eevee.clusterWide sets both).
  const clusterWide = parseGatewayConfig({
    WATCH_OTHER_NAMESPACES: env.WATCH_OTHER_NAMESPACES,
  }).WATCH_OTHER_NAMESPACES;
  const removeClusterRbac = clusterWide
    ? await applyClusterRbac(cluster, SERVICE_ACCOUNT, ns.name, GATEWAY_PERMISSIONS)
    : undefined;
  if (!clusterWide) await applyRbac(cluster, SERVICE_ACCOUNT, ns.name, GATEWAY_PERMISSIONS);
  const identity = await cluster.serviceAccountKubeConfig(ns.name, SERVICE_ACCOUNT);
  const gateway = await startGateway(identity, ns.name, env, options);
  return {
    cluster,
    ns,
    admin: new KubeClient(cluster.kubeConfig),
    gateway,
    url: `http://127.0.0.1:${gateway.port}`,
    identity,
    stop: async () => {
      await gateway.stop();
      await removeClusterRbac?.();
      await ns.delete();
    },
  };
}

/** Another gateway (other settings) on the same namespace and identity; stop it yourself. */
export async function startGateway(
  identity: KubeconfigSource,
  namespace: string,
  env: Record<string, string> = {},
  options: { tokenReloadMs?: number } = {},
): Promise<Gateway> {
  const config = parseGatewayConfig({
    NAMESPACE: namespace,
    HTTP_API_PORT: '0',
    HTTP_API_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    SHUTDOWN_TIMEOUT_SECONDS: '2',
    EEVEE_OPERATOR_API_TOKEN: TOKEN,
    ...env,
  });
  const gateway = await Gateway.start({
    config,
    kubeConfig: identity,
    logger: createLogger({ name: 'api-gateway', level: 'error' }),
    ...options,
  });
  await gateway.cache.waitForSync(30_000);
  return gateway;
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request; the token defaults to TOKEN (null sends no Authorization header). */
export async function call(
  url: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const token = options.token === undefined ? TOKEN : options.token;
  const headers: Record<string, string> = {
    ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const response = await fetch(url + path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics, the page)
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A BotModule as `kubectl apply` would create it. */
export async function applyModule(
  admin: KubeClient,
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
): Promise<KubeObject> {
  return admin.apply(
    RESOURCES.BotModule,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name, namespace },
      spec: { moduleName: name, image: `ghcr.io/eeveebot/${name}:1.0.0`, ...spec },
    },
    'kubectl',
  );
}

/** The status the module-controller would write (status subresource, its own field manager). */
export async function applyModuleStatus(
  admin: KubeClient,
  namespace: string,
  name: string,
  phase: string,
  replicas = 1,
): Promise<void> {
  const ready = phase === 'Ready';
  await admin.apply(
    RESOURCES.BotModule,
    {
      apiVersion: 'eevee.bot/v1',
      kind: 'BotModule',
      metadata: { name, namespace },
      status: {
        observedGeneration: 1,
        phase,
        replicas,
        readyReplicas: ready ? replicas : 0,
        conditions: [
          {
            type: 'Ready',
            status: ready ? 'True' : 'False',
            reason: phase,
            message: ready ? 'all replicas ready' : 'waiting',
            lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          },
        ],
      },
    },
    'test-module-controller',
    { subresource: 'status' },
  );
}

/** The module's Deployment as the module-controller names and labels it; kwok runs its pods. */
export async function applyModuleDeployment(
  admin: KubeClient,
  namespace: string,
  name: string,
  replicas = 1,
): Promise<void> {
  const labels = { app: 'eevee.bot', 'eevee.bot/module': name };
  await admin.apply(
    RESOURCES.Deployment,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `eevee-${name}-module`, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { 'eevee.bot/module': name } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'module', image: `ghcr.io/eeveebot/${name}:1.0.0` }] },
        },
      },
    },
    'test-module-controller',
  );
}

/** Waits until the gateway's answer at `path` satisfies `done`. */
export function eventuallyAnswers<T>(
  url: string,
  path: string,
  what: string,
  done: (body: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return eventually(
    what,
    async () => (await call(url, path)).body as T,
    (body) => body !== undefined && done(body),
    timeoutMs,
  );
}
