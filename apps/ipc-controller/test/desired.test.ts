import { describe, expect, it } from 'vitest';
import { ipcConfigSchema } from '@eevee/crds';
import type { IpcConfig } from '@eevee/crds';
import type { KubeObject } from '@eevee/runtime';
import {
  desiredConfigMap,
  desiredHeadlessService,
  desiredJetStreamClaim,
  desiredPdb,
  desiredService,
} from '../src/desired/companions.ts';
import { clusterMembers, natsConfig } from '../src/desired/nats-config.ts';
import type { ManagedSpec } from '../src/desired/nats-config.ts';
import {
  desiredDeployment,
  desiredStatefulSet,
  routesEnvironment,
  tokenEnvironment,
} from '../src/desired/server.ts';
import { externalUrl } from '../src/status.ts';
import { podEnvironment } from '@eevee/testenv';
import type { V1EnvVar } from '@kubernetes/client-node';

const owner: KubeObject = {
  apiVersion: 'eevee.bot/v1',
  kind: 'IpcConfig',
  metadata: { name: 'bot', namespace: 'chat', uid: 'u-1', generation: 1 },
};

function managed(spec: Record<string, unknown> = {}): ManagedSpec {
  const parsed: IpcConfig = ipcConfigSchema.parse({
    ...owner,
    spec: { nats: { managed: spec } },
  });
  return parsed.spec.nats.managed!;
}

const server = (m: ManagedSpec) => ({
  owner,
  managed: m,
  token: { name: 'nats-token', key: 'token' },
  routes:
    m.replicas >= 3 ? clusterMembers('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', m.replicas) : [],
  configHash: 'h1',
  fieldManager: 'test',
});

type PodTemplate = {
  metadata: { annotations: Record<string, string> };
  spec: {
    containers: {
      name: string;
      env: { name: string; valueFrom?: unknown }[];
      readinessProbe?: { httpGet: { path: string; port: string } };
      livenessProbe?: { httpGet: { path: string; port: string } };
      ports: { name: string }[];
    }[];
    volumes: Record<string, unknown>[];
  };
};

describe('the NATS configuration', () => {
  it('never contains the token: the server reads it from its environment', () => {
    const config = natsConfig({ name: 'bot', managed: managed() });
    expect(config).toContain('authorization {\n  token: $NATS_TOKEN\n}');
    expect(config).toContain('port: 4222');
    expect(config).toContain('monitor_port: 8222');
    expect(config).toContain('server_name: "bot"');
    expect(config).not.toContain('jetstream');
    expect(config).not.toContain('cluster');
    expect(config).not.toContain('max_payload');
  });

  it('honours max payload and JetStream', () => {
    const config = natsConfig({
      name: 'bot',
      managed: managed({ maxPayload: 4194304, jetstream: { enabled: true } }),
    });
    expect(config).toContain('max_payload: 4194304');
    expect(config).toContain('jetstream {\n  store_dir: "/data/jetstream"\n}');
  });

  it('gives a cluster per-pod server names and routes authenticated with the token, which it never holds', () => {
    const members = clusterMembers('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', 3);
    expect(members).toEqual([
      'eevee-bot-nats-0.eevee-bot-nats-cluster.chat.svc.cluster.local:6222',
      'eevee-bot-nats-1.eevee-bot-nats-cluster.chat.svc.cluster.local:6222',
      'eevee-bot-nats-2.eevee-bot-nats-cluster.chat.svc.cluster.local:6222',
    ]);
    const config = natsConfig({ name: 'bot', managed: managed({ replicas: 3 }) });
    expect(config).toContain('server_name: $SERVER_NAME');
    expect(config).toContain(
      [
        'cluster {',
        '  name: "bot"',
        '  port: 6222',
        '  authorization {',
        '    user: "route"',
        '    password: $NATS_TOKEN',
        '  }',
        '  routes: $NATS_ROUTES',
        '}',
      ].join('\n'),
    );
    // The route URLs carry the token only once the kubelet resolves the env (quoted: raw strings for NATS).
    const routes = routesEnvironment(members);
    expect(routes.value).toBe(
      `[${members.map((m) => `'nats://route:$(NATS_TOKEN_SECRET)@${m}'`).join(', ')}]`,
    );
    expect(
      podEnvironment([...tokenEnvironment({ name: 'nats-token', key: 'token' }), routes], {
        'nats-token': { token: 'tok' },
      })['NATS_ROUTES'],
    ).toContain("'nats://route:tok@eevee-bot-nats-0.eevee-bot-nats-cluster.chat.svc.cluster.local:6222'");
  });
});

describe('the server workload', () => {
  it('runs one server with the token from the Secret, /healthz probes, the exporter, and a gapless rollout', () => {
    const d = desiredDeployment(server(managed())) as KubeObject & {
      spec: { replicas: number; strategy: { type: string }; template: PodTemplate };
    };
    expect(d.metadata.name).toBe('eevee-bot-nats');
    expect(d.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'IpcConfig',
      uid: 'u-1',
      controller: true,
    });
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    const [nats, exporter] = d.spec.template.spec.containers;
    expect(nats!.env).toEqual([
      { name: 'NATS_TOKEN_SECRET', valueFrom: { secretKeyRef: { name: 'nats-token', key: 'token' } } },
      { name: 'NATS_TOKEN', value: "'$(NATS_TOKEN_SECRET)'" },
    ]);
    // As the kubelet resolves it: the token, quoted for the config parser.
    expect(podEnvironment(nats!.env as V1EnvVar[], { 'nats-token': { token: '123 #x' } })).toMatchObject({
      NATS_TOKEN: "'123 #x'",
    });
    expect(nats!.readinessProbe!.httpGet).toEqual({ path: '/healthz?js-server-only=true', port: 'monitor' });
    expect(nats!.livenessProbe!.httpGet.path).toBe('/healthz?js-enabled-only=true');
    expect(exporter!.name).toBe('metrics');
    expect(exporter!.ports).toEqual([{ name: 'metrics', containerPort: 7777, protocol: 'TCP' }]);
    expect(d.spec.template.metadata.annotations['eevee.bot/config-hash']).toBe('h1');
    expect(JSON.stringify(d)).not.toMatch(/cluster/);
  });

  it('leaves the exporter out when metrics are off', () => {
    const d = desiredDeployment(server(managed({ metrics: false }))) as KubeObject & {
      spec: { template: PodTemplate };
    };
    expect(d.spec.template.spec.containers.map((c) => c.name)).toEqual(['nats-server']);
    expect(
      (
        desiredService({ owner, managed: managed({ metrics: false }), fieldManager: 't' }).spec as {
          ports: { name: string }[];
        }
      ).ports.map((p) => p.name),
    ).toEqual(['client', 'monitor']);
  });

  it('recreates a server whose JetStream volume only one pod can mount, and keeps that claim', () => {
    const m = managed({ jetstream: { enabled: true, storage: { accessModes: ['ReadWriteOnce'] } } });
    const d = desiredDeployment(server(m)) as KubeObject & { spec: { strategy: { type: string } } };
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const claim = desiredJetStreamClaim({ owner, managed: m, fieldManager: 't' })!;
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
  });

  it('runs a cluster as a StatefulSet with a headless Service, a PDB and a claim per member', () => {
    const m = managed({
      replicas: 3,
      jetstream: { enabled: true, storage: { accessModes: ['ReadWriteOnce'] } },
    });
    const s = desiredStatefulSet(server(m)) as KubeObject & {
      spec: {
        replicas: number;
        serviceName: string;
        podManagementPolicy: string;
        selector: { matchLabels: Record<string, string> };
        volumeClaimTemplates: unknown[];
        template: PodTemplate;
      };
    };
    expect(s.spec).toMatchObject({
      replicas: 3,
      serviceName: 'eevee-bot-nats-cluster',
      podManagementPolicy: 'Parallel',
    });
    expect(s.spec.volumeClaimTemplates).toHaveLength(1);
    const env = s.spec.template.spec.containers[0]!.env;
    expect(env.map((e) => e.name)).toEqual(['NATS_TOKEN_SECRET', 'NATS_TOKEN', 'SERVER_NAME', 'NATS_ROUTES']);
    expect(env.at(-1)).toEqual(
      routesEnvironment(clusterMembers('eevee-bot-nats', 'eevee-bot-nats-cluster', 'chat', 3)),
    );
    // Members spread over nodes, so that losing a node loses one member (the cluster survives that, see
    // nats-server.integration.test.ts); preferred, so a one-node cluster still runs all three.
    const spread = (s.spec.template.spec as { affinity?: unknown }).affinity;
    expect(spread).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: s.spec.selector.matchLabels },
            },
          },
        ],
      },
    });
    const base = { owner, managed: m, fieldManager: 't' };
    expect(desiredHeadlessService(base)!.spec).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
    });
    expect(desiredPdb(base)!.spec).toMatchObject({ maxUnavailable: 1 });
    expect(desiredJetStreamClaim(base)).toBeUndefined();
    const single = { owner, managed: managed(), fieldManager: 't' };
    expect(desiredHeadlessService(single)).toBeUndefined();
    expect(desiredPdb(single)).toBeUndefined();
  });

  it('keeps the configuration in a ConfigMap under nats.conf', () => {
    const cm = desiredConfigMap({ owner, managed: managed(), fieldManager: 't' }, 'port: 4222\n');
    expect(cm.metadata.name).toBe('eevee-bot-nats-config');
    expect(cm.data).toEqual({ 'nats.conf': 'port: 4222\n' });
  });
});

describe('the URL of an external NATS', () => {
  it('takes the host as upstream stores it and makes it a URL', () => {
    expect(externalUrl('nats.example.org')).toBe('nats://nats.example.org:4222');
    expect(externalUrl('nats.example.org:4333')).toBe('nats://nats.example.org:4333');
    expect(externalUrl('tls://nats.example.org:4443')).toBe('tls://nats.example.org:4443');
  });
});
