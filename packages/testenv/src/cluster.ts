// A real, disposable Kubernetes cluster made of local processes. See ../README.md for what runs and why.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, loadYaml } from '@kubernetes/client-node';
import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import { ensureBinaries } from './binaries.ts';
import { allocatePorts, startApiserver, startControllers, startEtcd, startKwok } from './control-plane.ts';
import type { ControlPlanePorts } from './control-plane.ts';
import { kubeconfigDocument, writeKubeconfig } from './kubeconfig.ts';
import { bin, packageRoot } from './paths.ts';
import { Pki } from './pki.ts';
import { Instance, reapStaleInstances } from './processes.ts';
import { waitFor } from './wait.ts';

const runFile = promisify(execFile);

export interface StartClusterOptions {
  /** Names the state directory (`cluster-<name>`); a cluster of the same name is replaced. */
  name: string;
  /** Fake nodes to create (default 1). */
  nodes?: number;
  /**
   * Stop everything when this process dies (default: the current process). `null` keeps the cluster running
   * after the caller exits, for `pnpm cluster up`; stop it with `stopCluster(name)`.
   */
  ownerPid?: number | null;
  /** Extra kube-apiserver flags, e.g. --watch-cache=false so watches read etcd directly. */
  apiserverArgs?: string[];
}

/** What a cluster's state directory records, so another process (a test worker, the CLI) can attach. */
interface ClusterRecord {
  name: string;
  apiserverArgs: string[];
  server: string;
  kubeconfigPath: string;
  ports: ControlPlanePorts;
  startedMs: number;
}

export class Cluster {
  readonly name: string;
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  readonly ports: ControlPlanePorts;
  /** Milliseconds from start to a Ready node and a working controller-manager. */
  readonly startedMs: number;
  private readonly instance: Instance;
  private readonly pki: Pki;

  private constructor(instance: Instance, record: ClusterRecord, kubeConfig: KubeConfig) {
    this.instance = instance;
    this.pki = new Pki(instance.path('pki'));
    this.name = record.name;
    this.server = record.server;
    this.kubeconfigPath = record.kubeconfigPath;
    this.ports = record.ports;
    this.startedMs = record.startedMs;
    this.kubeConfig = kubeConfig;
  }

  static async attach(name: string): Promise<Cluster> {
    const instance = Instance.open(`cluster-${name}`);
    const recordPath = instance?.path('cluster.json');
    if (!instance || !recordPath || !existsSync(recordPath))
      throw new Error(`no running test cluster named ${name}`);
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as ClusterRecord;
    const kc = new KubeConfig();
    kc.loadFromFile(record.kubeconfigPath);
    return new Cluster(instance, record, kc);
  }

  static async start(options: StartClusterOptions): Promise<Cluster> {
    const t0 = performance.now();
    await reapStaleInstances();
    await ensureBinaries();
    const ownerPid = options.ownerPid === undefined ? process.pid : (options.ownerPid ?? undefined);
    const id = `cluster-${options.name}`;
    await Instance.open(id)?.stop(2_000);
    const instance = Instance.create(id, ownerPid === undefined ? {} : { ownerPid });
    try {
      const pki = new Pki(instance.path('pki'));
      await pki.init();
      const admin = await pki.clientCert('admin', 'eevee-testenv-admin', ['system:masters']);
      const ports = await allocatePorts();
      const server = `https://127.0.0.1:${ports.apiserver}`;
      const kubeconfigPath = instance.path('admin.kubeconfig');
      const kc = await writeKubeconfig(
        kubeconfigPath,
        kubeconfigDocument(server, await readFile(pki.caCert, 'utf8'), 'admin', admin),
      );

      await startEtcd(instance, ports);
      await startApiserver(instance, ports, pki, admin, options.apiserverArgs ?? []);
      const controllers = await startControllers(instance, ports, pki, kubeconfigPath);
      const kwok = startKwok(instance, kubeconfigPath);
      await createNodesAndStorage(kc, options.nodes ?? 1);
      await waitForReady(kc, instance, [...controllers, kwok], options.nodes ?? 1);

      const record: ClusterRecord = {
        name: options.name,
        apiserverArgs: options.apiserverArgs ?? [],
        server,
        kubeconfigPath,
        ports,
        startedMs: Math.round(performance.now() - t0),
      };
      await writeFile(instance.path('cluster.json'), JSON.stringify(record, null, 2));
      return new Cluster(instance, record, kc);
    } catch (err) {
      await instance.stop(2_000);
      throw err;
    }
  }

  get stateDir(): string {
    return this.instance.dir;
  }

  /** Every process of this cluster, in start order. */
  processes(): { name: string; pid: number }[] {
    return this.instance.pids().map(({ name, pid }) => ({ name, pid }));
  }

  /** A kubeconfig for a user authenticated by client certificate: it can do what RBAC grants `user`/`groups`. */
  async userKubeConfig(user: string, groups: string[] = []): Promise<KubeConfig> {
    const cert = await this.pki.clientCert(`user-${user}`, user, groups);
    const ca = await readFile(this.pki.caCert, 'utf8');
    return writeKubeconfig(
      this.instance.path(`user-${user}.kubeconfig`),
      kubeconfigDocument(this.server, ca, user, cert),
    );
  }

  /** A kubeconfig holding a TokenRequest token of a ServiceAccount: what an in-cluster controller would get. */
  async serviceAccountKubeConfig(
    namespace: string,
    serviceAccount: string,
    expirationSeconds = 3600,
  ): Promise<KubeConfig> {
    const core = this.kubeConfig.makeApiClient(CoreV1Api);
    const response = await core.createNamespacedServiceAccountToken({
      name: serviceAccount,
      namespace,
      body: { spec: { audiences: [], expirationSeconds } },
    });
    const token = response.status?.token;
    if (!token) throw new Error(`no token issued for ${namespace}/${serviceAccount}`);
    const ca = await readFile(this.pki.caCert, 'utf8');
    const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
    return writeKubeconfig(
      this.instance.path(`sa-${namespace}-${serviceAccount}.kubeconfig`),
      kubeconfigDocument(this.server, ca, user, { token }),
    );
  }

  /** Stops kube-apiserver and starts it again on the same port (clients see their watches break). */
  async restartApiserver(downMs = 0): Promise<void> {
    const record = JSON.parse(await readFile(this.instance.path('cluster.json'), 'utf8')) as ClusterRecord;
    await this.instance.stopProcess('kube-apiserver');
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    const admin = {
      certPem: await readFile(this.instance.path('pki', 'admin.crt'), 'utf8'),
      keyPem: await readFile(this.instance.path('pki', 'admin.key'), 'utf8'),
    };
    await startApiserver(this.instance, this.ports, this.pki, admin, record.apiserverArgs);
  }

  /** Compacts etcd's history up to now, so a watch from an older resourceVersion gets 410 Gone. */
  async compactEtcd(): Promise<number> {
    const etcd = `http://127.0.0.1:${this.ports.etcd}`;
    const range = await fetch(`${etcd}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: 'AA==', limit: 1 }),
    });
    const revision = Number(((await range.json()) as { header: { revision: string } }).header.revision);
    const compact = await fetch(`${etcd}/v3/kv/compaction`, {
      method: 'POST',
      body: JSON.stringify({ revision, physical: true }),
    });
    if (!compact.ok) throw new Error(`etcd compaction failed: ${compact.status} ${await compact.text()}`);
    return revision;
  }

  /** kubectl apply --server-side of manifest files; waits for any CustomResourceDefinitions to be Established. */
  async applyFiles(files: string[]): Promise<void> {
    const args = files.flatMap((f) => ['-f', f]);
    const applied = await this.kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      ...args,
      '-o',
      'name',
    ]);
    const crds = applied.split('\n').filter((line) => line.startsWith('customresourcedefinition'));
    if (crds.length > 0)
      await this.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds]);
  }

  /** Runs the cluster's kubectl against it. */
  async kubectl(args: string[]): Promise<string> {
    const { stdout } = await runFile(bin('kubectl'), [`--kubeconfig=${this.kubeconfigPath}`, ...args], {
      maxBuffer: 32 * 1024 * 1024,
    });
    return stdout;
  }

  /** Runs helm against the cluster, with helm's caches and config inside the cluster's state directory. */
  async helm(args: string[]): Promise<string> {
    const home = this.instance.path('helm');
    const env = {
      ...process.env,
      HELM_CACHE_HOME: `${home}/cache`,
      HELM_CONFIG_HOME: `${home}/config`,
      HELM_DATA_HOME: `${home}/data`,
    };
    const { stdout } = await runFile(bin('helm'), [`--kubeconfig=${this.kubeconfigPath}`, ...args], {
      env,
      maxBuffer: 32 * 1024 * 1024,
    });
    return stdout;
  }

  async logTails(): Promise<string> {
    return this.instance.allLogTails();
  }

  async stop(): Promise<void> {
    await this.instance.stop();
  }
}

export function startCluster(options: StartClusterOptions): Promise<Cluster> {
  return Cluster.start(options);
}

export async function stopCluster(name: string): Promise<boolean> {
  const instance = Instance.open(`cluster-${name}`);
  if (!instance) return false;
  await instance.stop();
  return true;
}

function fakeNode(index: number): V1Node {
  const name = `kwok-node-${index}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
  };
}

async function createNodesAndStorage(kc: KubeConfig, nodes: number): Promise<void> {
  const objects = kc.makeApiClient(KubernetesObjectApi);
  const storageClass = loadYaml<KubernetesObject>(
    await readFile(join(packageRoot, 'config', 'storage-class.yaml'), 'utf8'),
  );
  await objects.create(storageClass);
  for (let i = 0; i < nodes; i++) await objects.create(fakeNode(i));
}

async function waitForReady(
  kc: KubeConfig,
  instance: Instance,
  watch: Awaited<ReturnType<typeof startControllers>>,
  nodes: number,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await waitFor(
    `${nodes} Ready node(s) without the not-ready taint`,
    async () => {
      const list = await core.listNode();
      const ready = list.items.filter(
        (n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          !n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready'),
      );
      return ready.length >= nodes;
    },
    { instance, watch },
  );
  // The default ServiceAccount proves the controller-manager works; pods are rejected in a namespace without it.
  await waitFor(
    'ServiceAccount default/default',
    async () => {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
      return true;
    },
    { instance, watch },
  );
}
