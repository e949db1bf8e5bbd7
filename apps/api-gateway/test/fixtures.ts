// Objects shaped as the caches hold them (after the informers' transforms), for the pure view tests.
import { botModuleSchema } from '@eevee/crds';
import type { KubeObject } from '@eevee/runtime';
import { trimDeployment, trimPod } from '../src/kube/cached-types.ts';
import type { CachedPod } from '../src/kube/cached-types.ts';
import type { ModuleEntry } from '../src/kube/module-cache.ts';

export function botModuleObject(
  name: string,
  spec: Record<string, unknown>,
  extra: { status?: Record<string, unknown>; annotations?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'eevee.bot/v1',
    kind: 'BotModule',
    metadata: {
      name,
      namespace: 'bots',
      generation: 3,
      resourceVersion: '7',
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function entryOf(raw: KubeObject, pods: CachedPod[] = [], deployment?: KubeObject): ModuleEntry {
  const parsed = botModuleSchema.safeParse(raw);
  return {
    raw,
    parsed: parsed.success ? parsed.data : undefined,
    deployment: deployment ? trimDeployment(deployment) : undefined,
    pods,
  };
}

export function pod(
  name: string,
  created: string,
  options: { ready?: boolean; restarts?: number[] } = {},
): CachedPod {
  const ready = options.ready ?? true;
  return trimPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bots', creationTimestamp: created, labels: { 'eevee.bot/module': 'echo' } },
    spec: { containers: [{ name: 'module' }] },
    status: {
      phase: 'Running',
      startTime: created,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: created }],
      containerStatuses: (options.restarts ?? [0]).map((restartCount, i) => ({
        name: i === 0 ? 'module' : `side${i}`,
        ready,
        restartCount,
        image: 'ghcr.io/eeveebot/echo:1.3.9',
        imageID: 'sha256:abc',
        state: { running: { startedAt: created } },
        lastState: {},
      })),
    },
  });
}
