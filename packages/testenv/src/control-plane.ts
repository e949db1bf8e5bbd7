// Starts the real control-plane processes in order, each waiting for the previous one to be healthy:
// etcd -> kube-apiserver -> kube-controller-manager + kube-scheduler -> kwok.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bin, packageRoot } from './paths.ts';
import { freePorts } from './ports.ts';
import type { Instance, StartedProcess } from './processes.ts';
import type { Pki } from './pki.ts';
import { isOk } from './http-probe.ts';
import { waitFor } from './wait.ts';

export interface ControlPlanePorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

export async function allocatePorts(): Promise<ControlPlanePorts> {
  const [etcd, etcdPeer, apiserver, controllerManager, scheduler] = await freePorts(5);
  return {
    etcd: etcd!,
    etcdPeer: etcdPeer!,
    apiserver: apiserver!,
    controllerManager: controllerManager!,
    scheduler: scheduler!,
  };
}

const healthPaths = '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics';

export async function startEtcd(instance: Instance, ports: ControlPlanePorts): Promise<StartedProcess> {
  const client = `http://127.0.0.1:${ports.etcd}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  // tmpfs-backed state dir (/tmp or /dev/shm) plus no fsync: writes are nearly free, and nothing must survive.
  const etcd = instance.start('etcd', bin('etcd'), [
    '--name=node0',
    `--data-dir=${instance.path('etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=node0=${peer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ]);
  await waitFor('etcd /health', () => isOk(`${client}/health`), { instance, watch: [etcd] });
  return etcd;
}

export async function startApiserver(
  instance: Instance,
  ports: ControlPlanePorts,
  pki: Pki,
  admin: { certPem: string; keyPem: string },
  extraArgs: string[] = [],
): Promise<StartedProcess> {
  const apiserver = instance.start('kube-apiserver', bin('kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    // 1.37 refuses a loopback advertise address with the default endpoint reconciler (PR #138102).
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${join(pki.dir, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki.dir, 'apiserver.key')}`,
    `--client-ca-file=${pki.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
    ...extraArgs,
  ]);
  const ca = await readFile(pki.caCert, 'utf8');
  await waitFor(
    'kube-apiserver /readyz',
    () => isOk(`https://127.0.0.1:${ports.apiserver}/readyz`, { ca, cert: admin.certPem, key: admin.keyPem }),
    { instance, watch: [apiserver] },
  );
  return apiserver;
}

export async function startControllers(
  instance: Instance,
  ports: ControlPlanePorts,
  pki: Pki,
  kubeconfigPath: string,
): Promise<StartedProcess[]> {
  const kcm = instance.start('kube-controller-manager', bin('kube-controller-manager'), [
    `--kubeconfig=${kubeconfigPath}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    healthPaths,
    '--leader-elect=false',
    '--controllers=*',
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--kube-api-qps=100',
    '--kube-api-burst=200',
    '--v=1',
  ]);
  const scheduler = instance.start('kube-scheduler', bin('kube-scheduler'), [
    `--kubeconfig=${kubeconfigPath}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    healthPaths,
    '--v=1',
  ]);
  const watch = [kcm, scheduler];
  await Promise.all([
    waitFor(
      'kube-controller-manager /healthz',
      () => isOk(`https://127.0.0.1:${ports.controllerManager}/healthz`, { insecure: true }),
      { instance, watch },
    ),
    waitFor(
      'kube-scheduler /healthz',
      () => isOk(`https://127.0.0.1:${ports.scheduler}/healthz`, { insecure: true }),
      { instance, watch },
    ),
  ]);
  return watch;
}

/** kwok plays kubelet for every node: no listening port (no --node-port/--server-address), fake pod IPs only. */
export function startKwok(instance: Instance, kubeconfigPath: string): StartedProcess {
  return instance.start('kwok', bin('kwok'), [
    `--kubeconfig=${kubeconfigPath}`,
    `--config=${join(packageRoot, 'config', 'kwok.yaml')}`,
    '--manage-all-nodes=true',
    '--node-lease-duration-seconds=40',
    '--cidr=10.244.0.0/16',
  ]);
}
