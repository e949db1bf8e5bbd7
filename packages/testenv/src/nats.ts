// A real nats-server on loopback with token auth and JetStream, in its own state directory.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { bin } from './paths.ts';
import { freePorts } from './ports.ts';
import { Instance, reapStaleInstances } from './processes.ts';
import { isOk } from './http-probe.ts';
import { waitFor } from './wait.ts';

export interface NatsServer {
  /** nats://127.0.0.1:<port> */
  url: string;
  port: number;
  token: string;
  /** http://127.0.0.1:<port> of the monitoring endpoint (/healthz, /varz). */
  monitorUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startNats(options: { token?: string; ownerPid?: number } = {}): Promise<NatsServer> {
  await reapStaleInstances();
  const token = options.token ?? randomBytes(24).toString('base64url');
  const instance = Instance.create(`nats-${process.pid}-${randomBytes(4).toString('hex')}`, {
    ownerPid: options.ownerPid ?? process.pid,
  });
  const [port, monitor] = await freePorts(2);
  // The token goes in a config file, not on the command line where `ps` would show it.
  const config = instance.path('nats.conf');
  await writeFile(
    config,
    [
      `listen: "127.0.0.1:${port}"`,
      `http: "127.0.0.1:${monitor}"`,
      `server_name: "testenv"`,
      `authorization { token: ${JSON.stringify(token)} }`,
      `jetstream { store_dir: ${JSON.stringify(instance.path('jetstream'))} }`,
    ].join('\n'),
    { mode: 0o600 },
  );
  const proc = instance.start('nats-server', bin('nats-server'), ['-c', config]);
  const monitorUrl = `http://127.0.0.1:${monitor}`;
  try {
    await waitFor('nats-server /healthz', () => isOk(`${monitorUrl}/healthz?js-enabled-only=true`), {
      instance,
      watch: [proc],
      timeoutMs: 30_000,
    });
  } catch (err) {
    await instance.stop(1_000);
    throw err;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port: port!,
    token,
    monitorUrl,
    pid: proc.pid,
    stop: () => instance.stop(5_000),
  };
}
