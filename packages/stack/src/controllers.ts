// The controllers as their own processes (node apps/<name>/src/main.ts), as they run in production, against a
// cluster and one namespace. Their logs go to `logFile` when given, else to the caller only when one fails to
// start.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, freePort, metricTotal } from '@eevee/testenv';
import type { Cluster } from '@eevee/testenv';

export type ControllerName = 'module-controller' | 'ipc-controller' | 'backup-controller' | 'api-gateway';

export interface RunningController {
  name: ControllerName;
  port: number;
  process: ChildProcess;
  /** Sum of eevee_runtime_api_writes_total: the API writes this process made. */
  writes(): Promise<number>;
  /** The same without its leader-election Lease: writes to the objects it manages. */
  objectWrites(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const repo = join(import.meta.dirname, '..', '..', '..');

export async function startController(
  name: ControllerName,
  cluster: Pick<Cluster, 'kubeconfigPath'>,
  namespace: string,
  env: Record<string, string> = {},
  options: { logFile?: string } = {},
): Promise<RunningController> {
  // The api-gateway's port may be chosen (its probes and metrics share it); the others get a free one.
  const port = env.HTTP_API_PORT ? Number(env.HTTP_API_PORT) : await freePort();
  let output = '';
  const child = spawn(process.execPath, [join(repo, 'apps', name, 'src', 'main.ts')], {
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      NAMESPACE: namespace,
      LEADER_ELECT: 'false',
      METRICS_PORT: String(port),
      HEALTH_PORT: String(port),
      // The api-gateway serves /readyz on its API port; it listens on loopback only in tests.
      HTTP_API_PORT: String(port),
      HTTP_API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    log?.write(d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      log?.end();
      resolveExit();
    }),
  );
  try {
    await eventually(
      `${name} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output}`);
        return fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
      },
      (status) => status === 200,
      30_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    name,
    port,
    process: child,
    writes: () => metricTotal(port, 'eevee_runtime_api_writes_total'),
    objectWrites: () =>
      metricTotal(port, 'eevee_runtime_api_writes_total', (series) => !series.includes('resource="leases"')),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
