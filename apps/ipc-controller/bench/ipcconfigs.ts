// pnpm bench ipc: 50 IpcConfigs (a default managed NATS each) on a fresh local cluster, the controller as its own
// process. Prints reconciles and API writes to converge (all Ready), per IpcConfig, and writes in an idle window
// afterwards (target 0). BENCH_IPC_COUNT and BENCH_IDLE_SECONDS tune it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crdManifestFiles } from '@eevee/crds';
import { KubeClient, RESOURCES } from '@eevee/runtime';
import type { KubeObject } from '@eevee/runtime';
import {
  createTestNamespace,
  eventually,
  freePort,
  metricTotal,
  recordBenchmark,
  startCluster,
} from '@eevee/testenv';

const count = Number(process.env.BENCH_IPC_COUNT ?? 50);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

const cluster = await startCluster({ name: `bench-ipc-${process.pid}` });
try {
  await cluster.applyFiles(crdManifestFiles());
  const client = new KubeClient(cluster.kubeConfig);
  const ns = await createTestNamespace(cluster, 'benchipc');
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'main.ts')], {
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      NAMESPACE: ns.name,
      LEADER_ELECT: 'false',
      METRICS_PORT: String(port),
      HEALTH_PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await eventually(
      'the controller to be ready',
      () =>
        fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      (s) => s === 200,
      30_000,
    );
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.create(RESOURCES.IpcConfig, {
          apiVersion: 'eevee.bot/v1',
          kind: 'IpcConfig',
          metadata: { name: `bot${i}`, namespace: ns.name },
          spec: { nats: { token: { secretKeyRef: { secret: { name: `bot${i}-nats` } } } } },
        }),
      ),
    );
    type Ipc = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };
    await eventually(
      `${count} IpcConfigs Ready`,
      () => client.list<Ipc>(RESOURCES.IpcConfig, { namespace: ns.name }),
      (l) =>
        l.items.length === count &&
        l.items.every((i) => i.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
      600_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    const reconciles = await metricTotal(port, 'controller_runtime_reconcile_total');
    const writes = await metricTotal(port, 'eevee_runtime_api_writes_total');
    await sleep(5_000);
    const before = await metricTotal(port, 'eevee_runtime_api_writes_total');
    await sleep(idleSeconds * 1000);
    const idle = (await metricTotal(port, 'eevee_runtime_api_writes_total')) - before;
    console.log(
      `\n| IpcConfigs | converge | reconciles | per IpcConfig | API writes | per IpcConfig | writes in ${idleSeconds} s idle (= 0) |`,
    );
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| ${count} | ${seconds.toFixed(1)} s | ${reconciles} | ${(reconciles / count).toFixed(1)} | ${writes} | ${(writes / count).toFixed(1)} | ${idle} |`,
    );
    recordBenchmark({
      name: 'ipc',
      title: 'ipc-controller: IpcConfigs to Ready',
      issue: '#6',
      rows: [
        { measure: `${count} IpcConfigs created to all Ready`, value: `${seconds.toFixed(1)} s` },
        {
          measure: 'reconciles to converge',
          value: `${reconciles} (${(reconciles / count).toFixed(1)} per IpcConfig)`,
        },
        {
          measure: 'API writes to converge',
          value: `${writes} (${(writes / count).toFixed(1)} per IpcConfig)`,
        },
        {
          measure: `API writes in ${idleSeconds} s idle after convergence`,
          value: String(idle),
          target: '= 0',
          met: idle === 0,
        },
      ],
      notes: ['Each IpcConfig has a default managed NATS; the controller runs as its own process.'],
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
} finally {
  await cluster.stop();
}
