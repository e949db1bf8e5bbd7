// A real S3-compatible server (versitygw, posix backend) on loopback that checks SigV4 signatures.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { bin } from './paths.ts';
import { freePort } from './ports.ts';
import { Instance, reapStaleInstances } from './processes.ts';
import { isOk } from './http-probe.ts';
import { waitFor } from './wait.ts';

export interface S3Server {
  /** http://127.0.0.1:<port>; use path-style addressing. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  pid: number;
  /** Stops the server process (connections are refused) and starts it again on the same port and data. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(options: { ownerPid?: number } = {}): Promise<S3Server> {
  await reapStaleInstances();
  const instance = Instance.create(`s3-${process.pid}-${randomBytes(4).toString('hex')}`, {
    ownerPid: options.ownerPid ?? process.pid,
  });
  const port = await freePort();
  const region = 'us-east-1';
  const accessKeyId = `testenv${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const data = instance.path('data');
  const meta = instance.path('meta');
  await Promise.all([mkdir(data, { recursive: true }), mkdir(meta, { recursive: true })]);
  // Metadata in sidecar files: the default backend needs user.* xattrs, which tmpfs may lack.
  const endpoint = `http://127.0.0.1:${port}`;
  let pid = 0;
  const up = async (): Promise<void> => {
    const proc = instance.start(
      'versitygw',
      bin('versitygw'),
      [
        '--port',
        `127.0.0.1:${port}`,
        '--region',
        region,
        '--health',
        '/health',
        'posix',
        '--sidecar',
        meta,
        data,
      ],
      { ROOT_ACCESS_KEY: accessKeyId, ROOT_SECRET_KEY: secretAccessKey },
    );
    pid = proc.pid;
    await waitFor('versitygw /health', () => isOk(`${endpoint}/health`), {
      instance,
      watch: [proc],
      timeoutMs: 30_000,
    });
  };
  try {
    await up();
  } catch (err) {
    await instance.stop(1_000);
    throw err;
  }
  return {
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    get pid() {
      return pid;
    },
    down: () => instance.stopProcess('versitygw'),
    up,
    stop: () => instance.stop(5_000),
  };
}
