// The control plane really runs workloads: Deployments, PVC-backed pods, Jobs, garbage collection.
import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, testCluster } from '../src/index.ts';
import type { Cluster, TestNamespace } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let apps: AppsV1Api;
let core: CoreV1Api;
let batch: BatchV1Api;

beforeAll(async () => {
  cluster = await testCluster();
  ns = await createTestNamespace(cluster, 'workloads');
  apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  batch = cluster.kubeConfig.makeApiClient(BatchV1Api);
});

afterAll(async () => {
  await ns?.delete();
});

function deployment(name: string, replicas: number, claimName?: string): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'registry.invalid/eevee/test:1',
              volumeMounts: claimName ? [{ name: 'data', mountPath: '/data' }] : [],
            },
          ],
          volumes: claimName ? [{ name: 'data', persistentVolumeClaim: { claimName } }] : [],
        },
      },
    },
  };
}

describe('workloads on the local cluster', () => {
  it('runs a Deployment with 2 ready replicas and garbage-collects its ReplicaSet and Pods on delete', async () => {
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('two', 2) });
    const ready = await eventually(
      'deployment two to have 2 ready replicas',
      () => apps.readNamespacedDeployment({ name: 'two', namespace: ns.name }),
      (d) => d.status?.readyReplicas === 2,
    );
    expect(ready.status?.availableReplicas).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=two' });
    expect(pods.items).toHaveLength(2);
    expect(
      pods.items.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('kwok-node-')),
    ).toBe(true);

    await apps.deleteNamespacedDeployment({ name: 'two', namespace: ns.name });
    await eventually(
      'the ReplicaSet and Pods of deployment two to be garbage-collected',
      async () => ({
        replicaSets: (await apps.listNamespacedReplicaSet({ namespace: ns.name, labelSelector: 'app=two' }))
          .items.length,
        pods: (await core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=two' })).items.length,
      }),
      (left) => left.replicaSets === 0 && left.pods === 0,
    );
  });

  it('binds a PersistentVolumeClaim of the default StorageClass and runs the Deployment that mounts it', async () => {
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns.name,
      body: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('stateful', 1, 'data') });
    await eventually(
      'deployment stateful to be ready',
      () => apps.readNamespacedDeployment({ name: 'stateful', namespace: ns.name }),
      (d) => d.status?.readyReplicas === 1,
    );
    const pvc = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns.name });
    expect(pvc.status?.phase).toBe('Bound');
    expect(pvc.spec?.storageClassName).toBe('kwok-volume');
    const pv = await core.readPersistentVolume({ name: pvc.spec?.volumeName ?? '' });
    expect(pv.spec?.claimRef?.name).toBe('data');
    expect(pv.status?.phase).toBe('Bound');
  });

  it('completes a Job', async () => {
    await batch.createNamespacedJob({
      namespace: ns.name,
      body: {
        metadata: { name: 'once' },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'run', image: 'registry.invalid/eevee/job:1' }],
            },
          },
        },
      },
    });
    const job = await eventually(
      'job once to complete',
      () => batch.readNamespacedJob({ name: 'once', namespace: ns.name }),
      (j) => (j.status?.succeeded ?? 0) >= 1,
    );
    expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
  });
});
