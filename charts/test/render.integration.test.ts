// The chart rendered by the real helm: lint and template for the default values, each controller switched off
// in turn, cluster-wide mode and the full monitoring profile; RBAC equal to what each controller's code declares
// (computed here from the code, not read from the generated file); every pod locked down; bad values refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyRules } from '@eevee/runtime';
import { CONTROLLER_PERMISSIONS } from '../src/generated-files.ts';
import { CHART, CONTROLLERS, find, helm, render, sets } from './helm.ts';
import type { Rendered } from './helm.ts';

type Container = {
  name: string;
  image: string;
  securityContext: Record<string, unknown>;
  livenessProbe?: { httpGet: { path: string } };
  readinessProbe?: { httpGet: { path: string } };
  resources: Record<string, unknown>;
  env: { name: string; value?: string }[];
};
type PodSpec = {
  securityContext: Record<string, unknown>;
  containers: Container[];
  serviceAccountName: string;
};
const podSpec = (d: Rendered) =>
  (d as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
const rulesOf = (o: Rendered | undefined) => (o as unknown as { rules: unknown[] } | undefined)?.rules;

type Values = Record<string, string | number | boolean>;
const PROFILES: [string, Values][] = [
  ['default values', {}],
  ['full monitoring', { 'monitoring.enabled': true }],
  ['cluster-wide', { 'global.watchOtherNamespaces': true }],
  ...CONTROLLERS.map((c): [string, Values] => [`${c} disabled`, { [`${c}.enabled`]: false }]),
];

describe('helm lint', () => {
  it.each(PROFILES)('passes with %s', async (_name, values) => {
    const out = await helm(['lint', CHART, '--strict', ...sets(values)]);
    expect(out).toContain('0 chart(s) failed');
  });

  it('passes with the production example values, which render an Ingress and cluster-wide roles', async () => {
    const example = join(CHART, 'examples', 'values-production.yaml');
    expect(await helm(['lint', CHART, '--strict', '-f', example])).toContain('0 chart(s) failed');
    const out = await helm(['template', 'eevee', CHART, '--namespace', 'bots', '-f', example]);
    expect(out).toContain('kind: Ingress');
    expect(out).toContain('kind: ClusterRole');
    // One token Secret, managed outside the chart: the gateway mounts it and the module-controller hands it on.
    expect(out).toContain('secretName: eevee-api-token');
    expect(out).toMatch(/name: EEVEE_OPERATOR_API_TOKEN_SECRET\n\s+value: "eevee-api-token"/);
    expect(out).not.toMatch(/^kind: Secret$/m);
  });
});

describe('helm template', () => {
  it('renders the CRDs, kept on uninstall, and every controller with its ServiceAccount, Role and PDB', async () => {
    const objects = await render();
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      'backuprestores.eevee.bot',
      'backupschedules.eevee.bot',
      'botmodules.eevee.bot',
      'ipcconfigs.eevee.bot',
      's3stores.eevee.bot',
    ]);
    for (const crd of crds) expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(find(objects, 'ValidatingAdmissionPolicy', 'eevee.bot-same-namespace-secrets')).toBeDefined();
    for (const c of CONTROLLERS) {
      for (const kind of ['Deployment', 'ServiceAccount', 'Role', 'RoleBinding', 'PodDisruptionBudget'])
        expect(find(objects, kind, `eevee-${c}`), `${kind} eevee-${c}`).toBeDefined();
    }
    expect(objects.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    expect(find(objects, 'Service', 'eevee-api-gateway')).toBeDefined();
    expect(find(objects, 'Secret', 'eevee-api-gateway-token')?.metadata.annotations).toMatchObject({
      'helm.sh/resource-policy': 'keep',
    });
  });

  it.each(CONTROLLERS)('leaves out everything of %s when it is disabled, and nothing else', async (off) => {
    const objects = await render({ [`${off}.enabled`]: false });
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === off)).toEqual([]);
    for (const c of CONTROLLERS.filter((x) => x !== off))
      expect(find(objects, 'Deployment', `eevee-${c}`), c).toBeDefined();
  });

  it('grants each controller exactly the verbs its code declares', async () => {
    const objects = await render();
    for (const [chart, permissions] of Object.entries(CONTROLLER_PERMISSIONS)) {
      expect(rulesOf(find(objects, 'Role', `eevee-${chart}`)), chart).toEqual(
        // In one namespace the Lease rules join the others (one Role).
        [...policyRules(permissions.access), ...policyRules(permissions.ownNamespace)],
      );
    }
  });

  it('grants cluster-wide rules with a ClusterRole and keeps the Lease rules in the release namespace', async () => {
    const objects = await render({ 'global.watchOtherNamespaces': true });
    for (const [chart, permissions] of Object.entries(CONTROLLER_PERMISSIONS)) {
      expect(rulesOf(find(objects, 'ClusterRole', `eevee-${chart}`)), chart).toEqual(
        policyRules(permissions.access),
      );
      const lease = find(objects, 'Role', `eevee-${chart}-leader-election`);
      if (permissions.ownNamespace.length === 0) expect(lease, chart).toBeUndefined();
      else {
        expect(rulesOf(lease)).toEqual(policyRules(permissions.ownNamespace));
        expect(lease?.metadata.namespace).toBe('bots');
      }
      const env = podSpec(find(objects, 'Deployment', `eevee-${chart}`)!).containers[0]!.env;
      expect(env.find((e) => e.name === 'WATCH_OTHER_NAMESPACES')?.value).toBe('true');
    }
  });

  it('runs every pod non-root, read-only, without capabilities, with RuntimeDefault seccomp and probes', async () => {
    const objects = await render({ 'monitoring.enabled': true });
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments).toHaveLength(4);
    for (const d of deployments) {
      const spec = podSpec(d);
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.serviceAccountName).toBe(d.metadata.name);
      for (const c of spec.containers) {
        expect(c.securityContext, d.metadata.name).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.livenessProbe?.httpGet.path).toBe('/healthz');
        expect(c.readinessProbe?.httpGet.path).toBe('/readyz');
        expect(c.resources).toHaveProperty('requests');
        expect(c.image).toMatch(/^ghcr\.io\/eeveebot\/[a-z-]+:0\.1\.0$/);
      }
    }
  });

  it('points the controllers at an IpcConfig NATS for events, with its token mounted as a file', async () => {
    const objects = await render({ 'global.events.nats.ipcConfig': 'bot' });
    for (const c of CONTROLLERS) {
      const spec = podSpec(find(objects, 'Deployment', `eevee-${c}`)!);
      const env = Object.fromEntries(spec.containers[0]!.env.map((e) => [e.name, e.value]));
      expect(env).toMatchObject({
        EEVEE_EVENTS_NATS_URL: 'nats://eevee-bot-nats.bots.svc:4222',
        EEVEE_EVENTS_NATS_TOKEN_FILE: '/var/run/eevee/nats/token',
      });
    }
    const off = await render();
    const env = podSpec(find(off, 'Deployment', 'eevee-module-controller')!).containers[0]!.env;
    expect(env.map((e) => e.name)).not.toContain('EEVEE_EVENTS_NATS_URL');
  });

  it('renders the monitoring objects only when asked', async () => {
    const kinds = (objects: Rendered[]) =>
      objects.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1').map((o) => o.kind);
    expect(kinds(await render())).toEqual([]);
    const monitored = await render({ 'monitoring.enabled': true });
    expect(new Set(kinds(monitored))).toEqual(new Set(['PodMonitor', 'ServiceMonitor', 'PrometheusRule']));
    expect(
      monitored.some((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana_dashboard'] === '1'),
    ).toBe(true);
  });
});

describe('values.schema.json', () => {
  it.each([
    [{ 'module-controller.replicas': -1 }, "at '/module-controller/replicas': minimum: got -1, want 0"],
    [{ 'modul-controller.enabled': false }, "additional properties 'modul-controller' not allowed"],
    [{ 'global.events.nats.url': 'http://nats:4222' }, "at '/global/events/nats/url'"],
    [{ 'api-gateway.service.type': 'Ingress' }, "at '/api-gateway/service/type'"],
    [{ 'monitoring.interval': 'often' }, "at '/monitoring/interval'"],
  ])('refuses %o at install with a message naming the key', async (values, message) => {
    await expect(render(values)).rejects.toThrow(message);
  });
});
