// The informer against a real apiserver: sees every change, relists after 410 Gone (etcd compacted under a
// watch), survives an apiserver restart, and keeps one healthy watch open past client-node 2.0.0's 30 s abort.
// Its own cluster: the watch cache is off so that watches read etcd and compaction really yields 410.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startCluster } from '@eevee/testenv';
import type { Cluster, TestNamespace } from '@eevee/testenv';
import { Informer, KubeClient, RESOURCES } from '../src/index.ts';
import type { InformerEvent, KubeObject } from '../src/index.ts';

let cluster: Cluster;
let ns: TestNamespace;
let client: KubeClient;

beforeAll(async () => {
  cluster = await startCluster({ name: `informer-${process.pid}`, apiserverArgs: ['--watch-cache=false'] });
  ns = await createTestNamespace(cluster, 'informer');
  client = new KubeClient(cluster.kubeConfig);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns.name },
  data,
});

function recordingInformer(): { informer: Informer; seen: [InformerEvent, string][] } {
  const informer = new Informer(client, RESOURCES.ConfigMap, { namespace: ns.name });
  const seen: [InformerEvent, string][] = [];
  informer.onChange((event, obj) => seen.push([event, obj.metadata.name]));
  return { informer, seen };
}

describe('Informer', () => {
  it('lists, then sees create, update and delete; caches without managedFields', async () => {
    await client.create(RESOURCES.ConfigMap, configMap('before'));
    const { informer, seen } = recordingInformer();
    informer.start();
    await informer.waitForSync(10_000);
    expect(informer.get(ns.name, 'before')).toBeDefined();
    await client.create(RESOURCES.ConfigMap, configMap('live', { a: '1' }));
    await client.apply(RESOURCES.ConfigMap, configMap('live', { a: '2' }), 'test');
    await client.delete(RESOURCES.ConfigMap, ns.name, 'live');
    await eventually(
      'the informer to see the delete',
      () => Promise.resolve(seen),
      (s) => s.some(([e, n]) => e === 'delete' && n === 'live'),
    );
    expect(seen.filter(([, n]) => n === 'live').map(([e]) => e)).toEqual(['add', 'update', 'delete']);
    const cached = informer.get(ns.name, 'before')!;
    expect(cached.apiVersion).toBe('v1');
    expect(cached.kind).toBe('ConfigMap');
    expect(cached.metadata.managedFields).toBeUndefined();
    await informer.stop();
  });

  it('caches only metadata for metadata-only types (Secret data never enters memory)', async () => {
    await client.create(RESOURCES.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'quiet', namespace: ns.name },
      stringData: { password: 'hunter2' },
    });
    const informer = new Informer(client, RESOURCES.SecretMetadata, { namespace: ns.name });
    informer.start();
    await informer.waitForSync(10_000);
    await client.apply(
      RESOURCES.Secret,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'later', namespace: ns.name },
        stringData: { token: 's3cr3t' },
      },
      'test',
    );
    await eventually(
      'the watch to bring the new Secret',
      () => Promise.resolve(informer.get(ns.name, 'later')),
      (o) => o !== undefined,
    );
    for (const name of ['quiet', 'later']) {
      const cached = informer.get(ns.name, name)!;
      expect(cached).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name } });
      expect(cached.metadata.resourceVersion).toBeTruthy();
      expect(cached).not.toHaveProperty('data');
    }
    expect(JSON.stringify(informer.list())).not.toMatch(/hunter2|s3cr3t|aHVudGVyMg|czNjcjN0/);
    await informer.stop();
    // An empty metadata list comes back as "items": null.
    const empty = new Informer(client, RESOURCES.SecretMetadata, {
      namespace: ns.name,
      labelSelector: 'matches=nothing',
    });
    empty.start();
    await empty.waitForSync(10_000);
    expect(empty.size).toBe(0);
    await empty.stop();
  });

  it('caches only what a cacheTransform keeps, for listed and watched objects alike', async () => {
    await client.create(RESOURCES.ConfigMap, configMap('listed', { keep: 'a', drop: 'x'.repeat(1000) }));
    const trimmed = {
      ...RESOURCES.ConfigMap,
      cacheTransform: {
        name: 'keep-only',
        apply: (obj: KubeObject) => ({
          ...obj,
          data: { keep: (obj as KubeObject & { data?: Record<string, string> }).data?.['keep'] ?? '' },
        }),
      },
    };
    const informer = new Informer(client, trimmed, { namespace: ns.name });
    informer.start();
    await informer.waitForSync(10_000);
    await client.create(RESOURCES.ConfigMap, configMap('watched', { keep: 'b', drop: 'y' }));
    await eventually(
      'the watch to bring the new ConfigMap',
      () => Promise.resolve(informer.get(ns.name, 'watched')),
      (o) => o !== undefined,
    );
    expect(informer.get(ns.name, 'listed')).toMatchObject({ kind: 'ConfigMap', data: { keep: 'a' } });
    expect(informer.get(ns.name, 'watched')).toMatchObject({ data: { keep: 'b' } });
    expect(JSON.stringify(informer.list())).not.toContain('drop');
    await informer.stop();
  });

  it('relists on 410 Gone and misses none of the changes made while it was away', async () => {
    await client.create(RESOURCES.ConfigMap, configMap('kept', { v: '1' }));
    await client.create(RESOURCES.ConfigMap, configMap('doomed'));
    const { informer, seen } = recordingInformer();
    informer.start();
    await informer.waitForSync(10_000);
    await informer.stop(); // keeps its cache and resourceVersion
    await client.create(RESOURCES.ConfigMap, configMap('meanwhile'));
    await client.apply(RESOURCES.ConfigMap, configMap('kept', { v: '2' }), 'test');
    await client.delete(RESOURCES.ConfigMap, ns.name, 'doomed');
    await cluster.compactEtcd();
    seen.length = 0;
    informer.start(); // resumes the watch from a compacted resourceVersion
    await eventually(
      'the informer to catch up',
      () => Promise.resolve(informer),
      (i) => i.get(ns.name, 'meanwhile') !== undefined && i.get(ns.name, 'doomed') === undefined,
    );
    expect(informer.stats.gone + informer.stats.errors).toBeGreaterThanOrEqual(1);
    expect(informer.stats.lists).toBe(2);
    expect((informer.get(ns.name, 'kept') as { data?: Record<string, string> }).data).toEqual({ v: '2' });
    expect(seen).toEqual(
      expect.arrayContaining([
        ['add', 'meanwhile'],
        ['update', 'kept'],
        ['delete', 'doomed'],
      ]),
    );
    await informer.stop();
  });

  it('survives an apiserver restart and sees a change made right after it', async () => {
    const { informer } = recordingInformer();
    informer.start();
    await informer.waitForSync(10_000);
    await cluster.restartApiserver(1_000);
    await client.create(RESOURCES.ConfigMap, configMap('after-restart'));
    await eventually(
      'the informer to see the new object',
      () => Promise.resolve(informer.get(ns.name, 'after-restart')),
      (o) => o !== undefined,
      60_000,
    );
    expect(informer.stats.errors + informer.stats.watches).toBeGreaterThan(1);
    await informer.stop();
  });

  it(
    'keeps one healthy watch open past 30 s (client-node 2.0.0 aborted every watch at 30 s)',
    { timeout: 60_000 },
    async () => {
      const { informer, seen } = recordingInformer();
      informer.start();
      await informer.waitForSync(10_000);
      await eventually(
        'the watch to open',
        () => Promise.resolve(informer.stats.watches),
        (w) => w >= 1,
      );
      const watchesAtStart = informer.stats.watches;
      for (let i = 0; i < 8; i++) {
        await client.apply(RESOURCES.ConfigMap, configMap('ticker', { i: String(i) }), 'test');
        await sleep(5_000);
      }
      expect(informer.stats.watches).toBe(watchesAtStart);
      expect(seen.filter(([, n]) => n === 'ticker')).toHaveLength(8);
      await informer.stop();
    },
  );
});
