// Where testenv keeps things. Binaries are cached per user (they take minutes to build); everything a running
// cluster or server needs (certs, data, logs, PID files) lives in a state directory that is removed on stop.
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const packageRoot = resolve(import.meta.dirname, '..');

export function cacheRoot(): string {
  return process.env.EEVEE_TESTENV_CACHE ?? join(homedir(), '.cache', 'eevee-testenv');
}

/** Directory holding etcd, kube-*, kubectl, kwok, nats-server, versitygw and helm. */
export function binDir(): string {
  return join(cacheRoot(), 'bin');
}

/** The Prometheus Operator CRDs (PodMonitor, ServiceMonitor, PrometheusRule) fetched with the binaries. */
export function prometheusCrdFiles(): string[] {
  const dir = join(cacheRoot(), 'crds', 'prometheus-operator');
  return ['podmonitors', 'servicemonitors', 'prometheusrules'].map((k) =>
    join(dir, `monitoring.coreos.com_${k}.yaml`),
  );
}

export function bin(name: string): string {
  return join(binDir(), name);
}

/** Parent of every running instance's state directory (scanned for leftovers of crashed runs). */
export function stateRoot(): string {
  return process.env.EEVEE_TESTENV_STATE ?? join(tmpdir(), 'eevee-testenv');
}
