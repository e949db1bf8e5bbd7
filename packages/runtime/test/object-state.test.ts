import { Agent } from 'undici';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  Controller,
  KubeClient,
  ObjectStateMetrics,
  RESOURCES,
  RuntimeMetrics,
  applyStatus,
  objectState,
} from '../src/index.ts';
import type { ControllerContext, KubeObject } from '../src/index.ts';

type Labels = Record<string, string | number>;

async function series(registry: Registry, name: string): Promise<{ labels: Labels; value: number }[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  return values.map((v) => ({ labels: v.labels as Labels, value: v.value }));
}

const module = (name: string, namespace = 'bots'): KubeObject => ({
  apiVersion: 'eevee.bot/v1',
  kind: 'BotModule',
  metadata: { name, namespace },
});

const ready = (status: 'True' | 'False' | 'Unknown') => ({
  type: 'Ready',
  status,
  reason: 'R',
  message: '',
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

describe('objectState', () => {
  it('reads the phase, the conditions and the timestamps of a status', () => {
    const state = objectState({
      phase: 'Ready',
      observedGeneration: 3,
      conditions: [ready('True'), { type: 'Degraded', status: 'False', reason: 'AsExpected' }],
      lastSuccessfulTime: '2026-01-02T03:04:05Z',
      lastConnectionTest: { time: '2026-01-02T00:00:00Z', success: true, message: 'ok' },
      modules: [
        { name: 'a', cronJob: 'x-a', lastScheduleTime: '2026-01-02T03:00:00Z' },
        { name: 'b', cronJob: 'x-b' },
      ],
      image: 'not a time',
      configTime: 'not a date either',
    });
    expect(state.phase).toBe('Ready');
    expect(state.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'Degraded', status: 'False' },
    ]);
    expect(state.times).toEqual([
      { field: 'lastSuccessfulTime', seconds: Date.parse('2026-01-02T03:04:05Z') / 1000 },
      { field: 'lastConnectionTest.time', seconds: Date.parse('2026-01-02T00:00:00Z') / 1000 },
      { field: 'modules.lastScheduleTime', item: 'a', seconds: Date.parse('2026-01-02T03:00:00Z') / 1000 },
    ]);
  });

  it('is empty without a status', () => {
    expect(objectState(undefined)).toEqual({ phase: undefined, conditions: [], times: [] });
  });
});

describe('ObjectStateMetrics', () => {
  it('replaces the phase series when the phase changes', async () => {
    const registry = new Registry();
    const metrics = new ObjectStateMetrics(registry);
    metrics.observe('BotModule', { namespace: 'bots', name: 'm' }, { phase: 'Creating' });
    expect(await series(registry, 'eevee_object_phase')).toEqual([
      { labels: { kind: 'BotModule', namespace: 'bots', name: 'm', phase: 'Creating' }, value: 1 },
    ]);
    metrics.observe('BotModule', { namespace: 'bots', name: 'm' }, { phase: 'Unavailable' });
    expect(await series(registry, 'eevee_object_phase')).toEqual([
      { labels: { kind: 'BotModule', namespace: 'bots', name: 'm', phase: 'Unavailable' }, value: 1 },
    ]);
  });

  it("replaces a condition's series when its status flips", async () => {
    const registry = new Registry();
    const metrics = new ObjectStateMetrics(registry);
    metrics.observe('S3Store', { namespace: 'bots', name: 's' }, { conditions: [ready('True')] });
    metrics.observe('S3Store', { namespace: 'bots', name: 's' }, { conditions: [ready('False')] });
    expect(await series(registry, 'eevee_object_condition')).toEqual([
      {
        labels: { kind: 'S3Store', namespace: 'bots', name: 's', type: 'Ready', status: 'False' },
        value: 1,
      },
    ]);
  });

  it('exports timestamps as unix seconds, with the list item when there is one', async () => {
    const registry = new Registry();
    const metrics = new ObjectStateMetrics(registry);
    metrics.observe(
      'BackupSchedule',
      { namespace: 'bots', name: 'nightly' },
      {
        lastSuccessfulTime: '2026-01-02T03:04:05Z',
        modules: [{ name: 'a', lastSuccessfulTime: '2026-01-02T03:04:05Z' }],
      },
    );
    expect(await series(registry, 'eevee_object_status_time_seconds')).toEqual([
      {
        labels: { kind: 'BackupSchedule', namespace: 'bots', name: 'nightly', field: 'lastSuccessfulTime' },
        value: 1767323045,
      },
      {
        labels: {
          kind: 'BackupSchedule',
          namespace: 'bots',
          name: 'nightly',
          field: 'modules.lastSuccessfulTime',
          item: 'a',
        },
        value: 1767323045,
      },
    ]);
  });

  it("removes every series of a deleted object and keeps the others'", async () => {
    const registry = new Registry();
    const metrics = new ObjectStateMetrics(registry);
    const status = {
      phase: 'Ready',
      conditions: [ready('True')],
      modules: [{ name: 'a', lastScheduleTime: '2026-01-02T03:00:00Z' }],
    };
    metrics.observe('BotModule', { namespace: 'bots', name: 'gone' }, status);
    metrics.observe('BotModule', { namespace: 'bots', name: 'kept' }, status);
    metrics.forget('BotModule', 'bots', 'gone');
    for (const name of ['eevee_object_phase', 'eevee_object_condition', 'eevee_object_status_time_seconds']) {
      const names = (await series(registry, name)).map((s) => s.labels.name);
      expect(names, name).toEqual(['kept']);
    }
    metrics.clear();
    expect(await series(registry, 'eevee_object_phase')).toEqual([]);
  });
});

describe('applyStatus reports the state', () => {
  const agent = new Agent();
  afterAll(() => agent.close());
  // Nothing listens there: a test that reaches the network fails.
  const client = new KubeClient({
    server: 'http://127.0.0.1:9',
    dispatcher: agent,
    authorization: () => undefined,
  });
  const metrics = new RuntimeMetrics(new Registry());
  client.onStatus = (type, obj, status) => metrics.objects.observe(type.kind, obj.metadata, status);

  it('also when the status is unchanged and nothing is written', async () => {
    const status = { phase: 'Unavailable', conditions: [ready('False')] };
    const cached = { ...module('same'), status };
    expect(await applyStatus(client, RESOURCES.BotModule, cached, { ...status }, 'test')).toBe(false);
    expect(await series(metrics.registry, 'eevee_object_phase')).toContainEqual({
      labels: { kind: 'BotModule', namespace: 'bots', name: 'same', phase: 'Unavailable' },
      value: 1,
    });
  });

  it('after writing a changed status', async () => {
    const apply = vi.spyOn(client, 'apply').mockResolvedValue(module('changed'));
    const cached = { ...module('changed'), status: { phase: 'Creating' } };
    expect(await applyStatus(client, RESOURCES.BotModule, cached, { phase: 'Ready' }, 'test')).toBe(true);
    expect(apply).toHaveBeenCalledOnce();
    expect(await series(metrics.registry, 'eevee_object_phase')).toContainEqual({
      labels: { kind: 'BotModule', namespace: 'bots', name: 'changed', phase: 'Ready' },
      value: 1,
    });
    apply.mockRestore();
  });

  it('not when the write fails', async () => {
    const apply = vi.spyOn(client, 'apply').mockRejectedValue(new Error('conflict'));
    const cached = { ...module('failed'), status: { phase: 'Creating' } };
    await expect(
      applyStatus(client, RESOURCES.BotModule, cached, { phase: 'Ready' }, 'test'),
    ).rejects.toThrow();
    expect(metrics.objects.has('BotModule', 'bots', 'failed')).toBe(false);
    apply.mockRestore();
  });
});

describe('Controller', () => {
  it("drops a deleted primary object's state", () => {
    const metrics = new RuntimeMetrics(new Registry());
    const controller = new Controller(
      { name: 'botmodule', for: RESOURCES.BotModule, reconcile: async () => {} },
      {} as unknown as ControllerContext<KubeObject>,
      metrics,
      { concurrency: 1, resyncSeconds: 60 },
    );
    metrics.objects.observe('BotModule', { namespace: 'bots', name: 'm' }, { phase: 'Ready' });
    controller.onPrimary('update', module('m'));
    expect(metrics.objects.has('BotModule', 'bots', 'm')).toBe(true);
    controller.onPrimary('delete', module('m'));
    expect(metrics.objects.has('BotModule', 'bots', 'm')).toBe(false);
  });
});
