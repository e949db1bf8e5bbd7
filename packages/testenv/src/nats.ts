// A real nats-server on loopback with token auth and JetStream, in its own state directory.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface NatsFromConfig {
  pid: number;
  monitorUrl: string;
  /** The server's log so far (for assertions on what it printed). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Runs the real nats-server on a given configuration file text (e.g. the one a controller generates), with the
 * given environment (where the config reads its token from) and extra flags. Flags override the file, so tests
 * move its ports onto free loopback ones: pass `--addr 127.0.0.1 -p <port> -m <monitor>`.
 */
export async function startNatsFromConfig(
  config: string,
  options: { env?: Record<string, string>; args?: string[]; monitorPort: number; ownerPid?: number },
): Promise<NatsFromConfig> {
  await reapStaleInstances();
  const instance = Instance.create(`natscfg-${process.pid}-${randomBytes(4).toString('hex')}`, {
    ownerPid: options.ownerPid ?? process.pid,
  });
  const file = instance.path('nats.conf');
  await writeFile(file, config, { mode: 0o600 });
  const proc = instance.start('nats-server', bin('nats-server'), ['-c', file, ...(options.args ?? [])], {
    ...options.env,
  });
  const monitorUrl = `http://127.0.0.1:${options.monitorPort}`;
  try {
    await waitFor('nats-server /healthz', () => isOk(`${monitorUrl}/healthz`), {
      instance,
      watch: [proc],
      timeoutMs: 30_000,
    });
  } catch (err) {
    await instance.stop(1_000);
    throw err;
  }
  return {
    pid: proc.pid,
    monitorUrl,
    log: () => instance.logTail('nats-server', 500),
    stop: () => instance.stop(5_000),
  };
}

/** `nats-server -t`: parses and checks a configuration file, then exits. Resolves to its exit code and output. */
export async function checkNatsConfig(
  config: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'eevee-natscfg-'));
  try {
    const file = join(dir, 'nats.conf');
    await writeFile(file, config, { mode: 0o600 });
    return await new Promise((resolveRun) => {
      const child = spawn(bin('nats-server'), ['-t', '-c', file], { env: { ...process.env, ...env } });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (code) => resolveRun({ code: code ?? -1, output }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
