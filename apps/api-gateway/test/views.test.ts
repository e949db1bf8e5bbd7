import { describe, expect, it } from 'vitest';
import { imageTag } from '../src/views/image.ts';
import { moduleView } from '../src/views/module-view.ts';
import { upstreamBotModule } from '../src/views/upstream.ts';
import { moduleViewSchema, upstreamBotModuleSchema } from '../src/schemas.ts';
import { botModuleObject, entryOf, pod } from './fixtures.ts';

describe('imageTag', () => {
  it('reads tags, digests and the implied latest', () => {
    expect(imageTag('ghcr.io/eeveebot/echo:1.3.9')).toBe('1.3.9');
    expect(imageTag('registry:5000/img')).toBe('latest');
    expect(imageTag('registry:5000/img:2.0')).toBe('2.0');
    expect(imageTag('img@sha256:0123')).toBe('sha256:0123');
    expect(imageTag('img:1.0@sha256:0123')).toBe('1.0');
    expect(imageTag('busybox')).toBe('latest');
  });
});

describe('GET /api/bot-modules items (upstream shape)', () => {
  it('describes the newest pod, summing container restarts', () => {
    const raw = botModuleObject('echo-cr', { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' });
    const item = upstreamBotModule(
      entryOf(raw, [
        pod('old', '2026-01-01T00:00:00Z', { ready: true }),
        pod('new', '2026-01-02T00:00:00Z', { ready: false, restarts: [2, 3] }),
      ]),
    );
    expect(upstreamBotModuleSchema.parse(item)).toEqual(item);
    expect(item).toMatchObject({
      name: 'echo',
      crName: 'echo-cr',
      namespace: 'bots',
      image: 'ghcr.io/eeveebot/echo:1.3.9',
      tag: '1.3.9',
      enabled: true,
      podStatus: { phase: 'Running', ready: false, restartCount: 5, startedAt: '2026-01-02T00:00:00Z' },
    });
    expect(item.podStatus?.containerStatuses[0]).toEqual({
      name: 'module',
      ready: false,
      restartCount: 2,
      image: 'ghcr.io/eeveebot/echo:1.3.9',
      state: { running: { startedAt: '2026-01-02T00:00:00Z' } },
      lastState: null,
    });
    expect(item.podStatus?.conditions).toEqual([
      { type: 'Ready', status: 'False', lastTransitionTime: '2026-01-02T00:00:00Z' },
    ]);
  });

  it('has podStatus null without pods, and still lists a module its schema rejects', () => {
    const invalid = botModuleObject('broken', { image: 'x:1', size: -4 });
    const item = upstreamBotModule(entryOf(invalid));
    expect(item).toEqual({
      name: 'broken',
      crName: 'broken',
      namespace: 'bots',
      image: 'x:1',
      tag: '1',
      enabled: true,
      podStatus: null,
    });
    expect(upstreamBotModule(entryOf(botModuleObject('n', {}))).image).toBe('unknown');
  });
});

describe('the /api/v1 module view', () => {
  it('takes replicas from the Deployment, phase and conditions from status, restartedAt from the annotation', () => {
    const raw = botModuleObject(
      'echo',
      { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9', size: 2 },
      {
        annotations: { 'eevee.bot/restartedAt': '2026-05-01T10:00:00.000Z' },
        status: {
          observedGeneration: 3,
          phase: 'Updating',
          replicas: 1,
          readyReplicas: 1,
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Updating',
              message: 'rolling',
              lastTransitionTime: 't',
            },
          ],
        },
      },
    );
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'eevee-echo-module', namespace: 'bots' },
      spec: { replicas: 2 },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 1 },
    };
    const view = moduleView(
      entryOf(raw, [pod('b', '2026-01-02T00:00:00Z'), pod('a', '2026-01-01T00:00:00Z')], deployment),
    );
    expect(moduleViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      name: 'echo',
      moduleName: 'echo',
      phase: 'Updating',
      replicas: { desired: 2, current: 3, ready: 2, updated: 1 },
      restartedAt: '2026-05-01T10:00:00.000Z',
      generation: 3,
      observedGeneration: 3,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Updating', message: 'rolling', lastTransitionTime: 't' },
      ],
    });
    expect(view.pods.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('wants 0 replicas of a disabled module and says null before the controller wrote status', () => {
    const view = moduleView(
      entryOf(botModuleObject('off', { moduleName: 'off', image: 'i:1', enabled: false })),
    );
    expect(view).toMatchObject({
      enabled: false,
      phase: null,
      replicas: { desired: 0, current: 0, ready: 0 },
    });
    expect(view.restartedAt).toBeNull();
  });
});
