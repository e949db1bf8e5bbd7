// Pure pieces of the module-controller: what it builds from a spec, and the status it reports.
import { describe, expect, it } from 'vitest';
import { botModuleSchema } from '@eevee/crds';
import type { BotModule } from '@eevee/crds';
import type { KubeObject } from '@eevee/runtime';
import { desiredHpa, desiredPdb, desiredPvc, desiredService } from '../src/desired/children.ts';
import { defaultProbes, desiredDeployment, usesSingleWriterVolume } from '../src/desired/deployment.ts';
import type { ModuleInputs } from '../src/inputs.ts';
import { parseModuleSettings } from '../src/settings.ts';
import { computeStatus } from '../src/status.ts';

function module(spec: Record<string, unknown>, name = 'echo'): { module: BotModule; owner: KubeObject } {
  const obj = {
    apiVersion: 'eevee.bot/v1',
    kind: 'BotModule',
    metadata: { name, namespace: 'bot', uid: 'u-1', generation: 1 },
    spec: { moduleName: 'echo', image: 'echo:1', ...spec },
  };
  return { module: botModuleSchema.parse(obj), owner: obj };
}

const inputs: ModuleInputs = {
  ipc: { kind: 'none' },
  configHash: 'h',
  restoreInProgress: undefined,
  bootstrap: { kind: 'none' },
  pods: [],
};
const settings = parseModuleSettings({});

describe('desired children', () => {
  it('sets default probes only when metrics are on, and user probes replace them', () => {
    expect(defaultProbes(module({}).module)).toEqual({});
    expect(defaultProbes(module({ metrics: true, metricsPort: 8080 }).module).livenessProbe?.httpGet).toEqual(
      { path: '/health', port: 8080 },
    );
    const custom = { httpGet: { path: '/live', port: 'metrics' } };
    const d = desiredDeployment({
      ...module({ metrics: true, livenessProbe: custom }),
      replicas: 1,
      nats: undefined,
      configHash: 'h',
      settings,
      fieldManager: 'm',
    });
    const container = (
      d.spec as { template: { spec: { containers: { livenessProbe: unknown; readinessProbe: unknown }[] } } }
    ).template.spec.containers[0]!;
    expect(container.livenessProbe).toEqual(custom);
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/health' } });
  });

  it('uses Recreate only for single-writer volumes', () => {
    expect(
      usesSingleWriterVolume(
        module({
          persistentVolumeClaim: {
            accessModes: ['ReadWriteMany'],
            resources: { requests: { storage: '1Gi' } },
          },
        }).module,
      ),
    ).toBe(false);
    expect(
      usesSingleWriterVolume(module({ persistentVolumeClaim: { accessModes: ['ReadWriteOncePod'] } }).module),
    ).toBe(true);
    expect(usesSingleWriterVolume(module({}).module)).toBe(false);
  });

  it('keeps the PVC unless asked to delete it, and defaults its size to 1Gi as upstream did', () => {
    const kept = desiredPvc({
      ...module({
        persistentVolumeClaim: { accessModes: ['ReadWriteOnce'] },
        backupSchedule: { name: 'nightly' },
      }),
      fieldManager: 'm',
    })!;
    expect(kept.metadata.ownerReferences).toBeUndefined();
    expect(kept.metadata.labels?.['eevee.bot/backup-schedule']).toBe('nightly');
    expect((kept.spec as { resources: unknown }).resources).toEqual({ requests: { storage: '1Gi' } });
    const owned = desiredPvc({
      ...module({
        persistentVolumeClaim: { resources: { requests: { storage: '5Gi' } } },
        volumeReclaimPolicy: 'Delete',
      }),
      fieldManager: 'm',
    })!;
    expect(owned.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'BotModule',
      uid: 'u-1',
      controller: true,
    });
  });

  it('adds a Service only with metrics, an HPA only with autoscaling, a PDB only above one replica', () => {
    const plain = { ...module({}), fieldManager: 'm' };
    expect(desiredService(plain)).toBeUndefined();
    expect(desiredHpa(plain)).toBeUndefined();
    expect(desiredPdb(plain, 1)).toBeUndefined();
    expect(desiredPdb(plain, 2)).toBeDefined();
    expect(
      desiredService({ ...module({ metrics: true }), fieldManager: 'm' })?.metadata.labels?.[
        'eevee.bot/metrics'
      ],
    ).toBe('true');
  });

  it('bounds names and label values for long BotModule names', () => {
    const long = `m${'x'.repeat(70)}`;
    const d = desiredDeployment({
      ...module({}, long),
      replicas: 1,
      nats: undefined,
      configHash: 'h',
      settings,
      fieldManager: 'm',
    });
    const labels = (d.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    expect(labels['eevee.bot/module']!.length).toBeLessThanOrEqual(63);
    expect(
      desiredService({ ...module({ metrics: true }, long), fieldManager: 'm' })!.metadata.name.length,
    ).toBeLessThanOrEqual(63);
  });
});

describe('status', () => {
  const deployment = (status: Record<string, number>, generation = 1): KubeObject => ({
    metadata: { name: 'd', generation },
    status: { observedGeneration: generation, ...status },
  });
  const phase = (m: BotModule, d: KubeObject | undefined, extra: Partial<ModuleInputs> = {}, desired = 1) =>
    computeStatus({
      module: m,
      inputs: { ...inputs, ...extra },
      deployment: d,
      desiredReplicas: desired,
      heldBack: undefined,
      problems: [],
      selector: 's',
      configHash: 'h',
    }).phase;

  it('maps the Deployment to the lifecycle words', () => {
    const m = module({}).module;
    expect(phase(m, undefined)).toBe('Creating');
    expect(
      phase(m, deployment({ replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 })),
    ).toBe('Ready');
    const wasReady = { ...m, status: { phase: 'Ready' as const } };
    expect(phase(wasReady, deployment({ replicas: 2, updatedReplicas: 1, availableReplicas: 1 }))).toBe(
      'Updating',
    );
    // Until the module has been Ready once, it is Creating whatever its first rollout goes through.
    expect(phase(m, deployment({ replicas: 2, updatedReplicas: 1, availableReplicas: 1 }))).toBe('Creating');
    expect(
      phase(
        { ...m, status: { phase: 'Ready' } },
        deployment({ replicas: 1, updatedReplicas: 1, availableReplicas: 0, unavailableReplicas: 1 }),
      ),
    ).toBe('Unavailable');
    expect(phase(module({ enabled: false }).module, deployment({}), {}, 0)).toBe('Disabled');
    expect(phase(m, undefined, { bootstrap: { kind: 'waiting', message: 'w' } })).toBe('WaitingForBackup');
    expect(phase(m, deployment({ replicas: 1 }), { restoreInProgress: 'r' }, 0)).toBe('Updating');
  });

  it('makes the phase the Ready condition reason', () => {
    const s = computeStatus({
      module: module({}).module,
      inputs,
      deployment: deployment({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
      desiredReplicas: 1,
      heldBack: undefined,
      problems: [],
      selector: 's',
      configHash: 'h',
    });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: s.phase });
  });
});
