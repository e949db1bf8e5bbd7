// `helm install` of the umbrella chart into the real local cluster: every object is accepted by the apiserver
// (server-side validation), the controllers' Deployments become Ready (kwok runs their pods), an upgrade with one
// changed value rolls only that controller, each ServiceAccount can do exactly what its controller needs, and
// uninstalling keeps the CRDs, the custom resources and the API token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject, ResourceType } from '@eevee/runtime';
import { createTestNamespace, prometheusCrdFiles, testCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { CHART, CONTROLLERS } from './helm.ts';

let cluster: Cluster;
let ns: TestNamespace;
let admin: KubeClient;
let release: string;

const CRD: ResourceType = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};
const POLICY: ResourceType = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  plural: 'validatingadmissionpolicies',
  namespaced: false,
};
const POLICY_BINDING: ResourceType = {
  ...POLICY,
  kind: 'ValidatingAdmissionPolicyBinding',
  plural: 'validatingadmissionpolicybindings',
};
const SAR: ResourceType = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  namespaced: false,
};
const CLUSTER_OBJECTS: [ResourceType, string][] = [
  ...['botmodules', 'ipcconfigs', 's3stores', 'backupschedules', 'backuprestores'].map(
    (p) => [CRD, `${p}.eevee.bot`] as [ResourceType, string],
  ),
  [POLICY, 'eevee.bot-same-namespace-secrets'],
  [POLICY_BINDING, 'eevee.bot-same-namespace-secrets'],
];

type Deployment = KubeObject & {
  spec: { replicas: number; template: unknown };
  status?: { readyReplicas?: number; observedGeneration?: number };
};

/**
 * The test cluster is shared: other test files apply the CRDs with kubectl. Helm installs over existing objects
 * only when they carry its ownership metadata, as `kubectl annotate/label` would give them to adopt them.
 */
async function adoptClusterObjects(): Promise<void> {
  for (const [type, name] of CLUSTER_OBJECTS) {
    await admin
      .mergePatch(
        type,
        undefined,
        name,
        {
          metadata: {
            labels: { 'app.kubernetes.io/managed-by': 'Helm' },
            annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns.name },
          },
        },
        'eevee-test',
      )
      .catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
  }
}

const helmIn = (args: string[]) => cluster.helm([...args, '--namespace', ns.name]);
const deployment = (c: string) => admin.get<Deployment>(RESOURCES.Deployment, ns.name, `${release}-${c}`);

async function allowed(
  serviceAccount: string,
  verb: string,
  group: string,
  resource: string,
  namespace = ns.name,
): Promise<boolean> {
  const [plural, subresource] = resource.split('/');
  const review = await admin.create<KubeObject & { status?: { allowed?: boolean } }>(SAR, {
    apiVersion: SAR.apiVersion,
    kind: SAR.kind,
    metadata: { name: '' },
    spec: {
      user: `system:serviceaccount:${ns.name}:${release}-${serviceAccount}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns.name}`, 'system:authenticated'],
      resourceAttributes: {
        namespace,
        verb,
        group,
        resource: plural,
        ...(subresource ? { subresource } : {}),
      },
    },
  });
  return review.status?.allowed === true;
}

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'chart');
  admin = new KubeClient(cluster.kubeConfig);
  release = 'eevee';
  await adoptClusterObjects();
  // --wait: every Deployment Ready (kwok starts their pods), within the timeout.
  await helmIn(['install', release, CHART, '--wait', '--timeout', '120s']);
}, 240_000);

afterAll(async () => {
  await helmIn(['uninstall', release, '--wait']).catch(() => undefined);
  await ns?.delete();
});

describe('helm install of the umbrella chart', () => {
  it('brings up every controller Ready, with 2 replicas', async () => {
    for (const c of CONTROLLERS) {
      const d = await deployment(c);
      expect(d.spec.replicas, c).toBe(2);
      expect(d.status?.readyReplicas, c).toBe(2);
    }
    const crd = await admin.get(CRD, undefined, 'botmodules.eevee.bot');
    expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });

  it('gives each ServiceAccount what its controller uses and nothing it does not', async () => {
    const checks: [string, string, string, string, boolean][] = [
      ['module-controller', 'create', 'apps', 'deployments', true],
      ['module-controller', 'patch', 'eevee.bot', 'botmodules/status', true],
      ['module-controller', 'delete', '', 'persistentvolumeclaims', false],
      ['module-controller', 'create', 'batch', 'cronjobs', false],
      ['module-controller', 'get', '', 'secrets', false],
      ['module-controller', 'update', 'coordination.k8s.io', 'leases', true],
      ['ipc-controller', 'create', '', 'secrets', true],
      ['ipc-controller', 'delete', '', 'secrets', false],
      ['ipc-controller', 'patch', 'eevee.bot', 'botmodules', false],
      ['backup-controller', 'create', 'batch', 'jobs', true],
      ['backup-controller', 'delete', 'batch', 'jobs', false],
      ['backup-controller', 'delete', 'apps', 'deployments', false],
      ['backup-controller', 'create', 'eevee.bot', 'backuprestores', true],
      ['api-gateway', 'patch', 'eevee.bot', 'botmodules', true],
      ['api-gateway', 'get', '', 'secrets', false],
      ['api-gateway', 'list', '', 'secrets', false],
      ['api-gateway', 'patch', 'apps', 'deployments', false],
      ['api-gateway', 'create', 'coordination.k8s.io', 'leases', false],
    ];
    for (const [sa, verb, group, resource, expected] of checks)
      expect(await allowed(sa, verb, group, resource), `${sa} ${verb} ${group}/${resource}`).toBe(expected);
    // Namespace-scoped by default: nothing in another namespace.
    expect(await allowed('module-controller', 'list', 'eevee.bot', 'botmodules', 'default')).toBe(false);
  });

  it('rolls only the controller whose value changed on upgrade, and keeps the API token', async () => {
    const before = Object.fromEntries(
      await Promise.all(
        CONTROLLERS.map(async (c) => [c, (await deployment(c)).metadata.generation] as const),
      ),
    );
    const token = await admin.get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.Secret,
      ns.name,
      `${release}-api-gateway-token`,
    );
    await helmIn([
      'upgrade',
      release,
      CHART,
      '--reuse-values',
      '--set',
      'ipc-controller.logLevel=debug',
      '--wait',
      '--timeout',
      '120s',
    ]);
    for (const c of CONTROLLERS) {
      const after = (await deployment(c)).metadata.generation;
      if (c === 'ipc-controller') expect(after, c).toBeGreaterThan(before[c]!);
      else expect(after, c).toBe(before[c]);
    }
    const kept = await admin.get<KubeObject & { data: Record<string, string> }>(
      RESOURCES.Secret,
      ns.name,
      `${release}-api-gateway-token`,
    );
    expect(kept.data).toEqual(token.data);
  });

  it('keeps the CRDs, the custom resources and the token Secret on uninstall', async () => {
    await admin.create(RESOURCES.BotModule, {
      apiVersion: API_VERSION,
      kind: 'BotModule',
      metadata: { name: 'echo', namespace: ns.name },
      spec: { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' },
    });
    await helmIn(['uninstall', release, '--wait']);
    for (const c of CONTROLLERS) await expect(deployment(c), c).rejects.toMatchObject({ code: 404 });
    for (const [type, name] of CLUSTER_OBJECTS) await admin.get(type, undefined, name);
    const module = await admin.get(RESOURCES.BotModule, ns.name, 'echo');
    expect(module.metadata.name).toBe('echo');
    await admin.get(RESOURCES.Secret, ns.name, `${release}-api-gateway-token`);
  });
});

describe('helm install with monitoring', () => {
  let monitored: TestNamespace;

  beforeAll(async () => {
    // The Prometheus Operator's own CRDs, so the apiserver validates every monitoring object the chart renders.
    await cluster.applyFiles(prometheusCrdFiles());
    monitored = await createTestNamespace(cluster, 'chartmon');
  });
  afterAll(async () => {
    await cluster.helm(['uninstall', 'eevee-mon', '--namespace', monitored.name]).catch(() => undefined);
    await monitored?.delete();
  });

  it('applies the PodMonitors, ServiceMonitors, PrometheusRule and dashboard (the CRDs from the first release)', async () => {
    await cluster.helm([
      'install',
      'eevee-mon',
      CHART,
      '--namespace',
      monitored.name,
      '--set',
      'crds.enabled=false',
      '--set',
      'monitoring.enabled=true',
      '--wait',
      '--timeout',
      '120s',
    ]);
    const list = (plural: string) =>
      admin.list(
        { apiVersion: 'monitoring.coreos.com/v1', kind: '', plural, namespaced: true },
        { namespace: monitored.name },
      );
    expect((await list('podmonitors')).items).toHaveLength(4);
    expect((await list('servicemonitors')).items.length).toBeGreaterThan(0);
    const rules = (await list('prometheusrules')).items as (KubeObject & {
      spec: { groups: { rules: unknown[] }[] };
    })[];
    expect(rules).toHaveLength(1);
    expect(rules[0]!.spec.groups.flatMap((g) => g.rules).length).toBeGreaterThan(5);
    const dashboards = (
      await admin.list(RESOURCES.ConfigMap, {
        namespace: monitored.name,
        labelSelector: 'grafana_dashboard=1',
      })
    ).items;
    expect(dashboards).toHaveLength(1);
  });
});
