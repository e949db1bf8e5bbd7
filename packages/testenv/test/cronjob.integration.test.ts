// kube-controller-manager's CronJob controller creates Jobs (schedule granularity is one minute).
import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '../src/index.ts';
import type { TestNamespace } from '../src/index.ts';

let ns: TestNamespace;
let batch: BatchV1Api;

beforeAll(async () => {
  const cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'cron');
  batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
});

afterAll(async () => {
  await ns?.delete();
});

it('a CronJob creates a Job that completes', { timeout: 150_000 }, async () => {
  await batch.createNamespacedCronJob({
    namespace: ns.name,
    body: {
      metadata: { name: 'every-minute' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'run', image: 'registry.invalid/eevee/job:1' }],
              },
            },
          },
        },
      },
    },
  });
  const jobs = await eventually(
    'the CronJob to create a Job that succeeds',
    () => batch.listNamespacedJob({ namespace: ns.name }),
    (list) => list.items.some((j) => (j.status?.succeeded ?? 0) >= 1),
    130_000,
  );
  const job = jobs.items.find((j) => (j.status?.succeeded ?? 0) >= 1);
  expect(job?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'every-minute' });
});
