// helm is built with the cluster's Kubernetes version stamped in, installs a chart and waits for it to be ready.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestNamespace, testCluster } from '../src/index.ts';
import type { Cluster, TestNamespace } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let chart: string;

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'helm');
  chart = await mkdtemp(join(tmpdir(), 'testenv-chart-'));
  await mkdir(join(chart, 'templates'));
  await writeFile(
    join(chart, 'Chart.yaml'),
    'apiVersion: v2\nname: demo\nversion: 0.1.0\nkubeVersion: ">=1.30.0-0"\n',
  );
  await writeFile(
    join(chart, 'templates', 'deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: { kube-version: "{{ .Capabilities.KubeVersion.Minor }}" }
spec:
  replicas: 2
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers: [{ name: main, image: registry.invalid/eevee/demo:1 }]
`,
  );
});

afterAll(async () => {
  await ns?.delete();
  await rm(chart, { recursive: true, force: true });
});

it('installs a chart with a kubeVersion constraint and waits until it is ready', async () => {
  await cluster.helm(['install', 'demo', chart, '--namespace', ns.name, '--wait', '--timeout', '90s']);
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const deployment = await apps.readNamespacedDeployment({ name: 'demo', namespace: ns.name });
  expect(deployment.status?.readyReplicas).toBe(2);
  expect(deployment.metadata?.labels?.['kube-version']).toBe('37');
  const releases = JSON.parse(await cluster.helm(['list', '--namespace', ns.name, '--output', 'json'])) as {
    name: string;
    status: string;
  }[];
  expect(releases).toMatchObject([{ name: 'demo', status: 'deployed' }]);
});
