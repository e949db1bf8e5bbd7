// Helpers for test files running in vitest workers against the run's shared cluster.
import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from './cluster.ts';

/** The cluster started by the run's global setup. */
export function testCluster(): Promise<Cluster> {
  const name = process.env.EEVEE_TEST_CLUSTER;
  if (!name)
    throw new Error(
      'EEVEE_TEST_CLUSTER is not set: run integration tests through the vitest config (its global setup starts the cluster)',
    );
  return Cluster.attach(name);
}

export interface TestNamespace {
  name: string;
  delete(): Promise<void>;
}

/**
 * A fresh namespace `t-<prefix>-<random>` whose default ServiceAccount exists (pods are rejected before it does).
 * Delete it in afterAll while the cluster still runs, so its pods are cleaned up.
 */
export async function createTestNamespace(cluster: Cluster, prefix = 'test'): Promise<TestNamespace> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const name = `t-${prefix}-${randomBytes(3).toString('hex')}`.slice(0, 63);
  await core.createNamespace({ body: { metadata: { name, labels: { 'eevee.bot/test': 'true' } } } });
  for (let i = 0; ; i++) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      break;
    } catch (err) {
      if (i > 300) throw new Error(`ServiceAccount default never appeared in ${name}`, { cause: err });
      await sleep(100);
    }
  }
  return {
    name,
    delete: async () => {
      await core.deleteNamespace({ name });
    },
  };
}

/** Polls `read` until `done` accepts its value; fails with the last value seen. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await sleep(250);
  }
  const seen = last === undefined ? String(lastError) : JSON.stringify(last).slice(0, 2000);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}
