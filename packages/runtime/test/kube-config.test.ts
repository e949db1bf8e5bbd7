// The kubeconfig loader: current context, embedded or file credentials, token files re-read, no cluster = error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionFromKubeconfig, inClusterConnection } from '../src/index.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('connectionFromKubeconfig', () => {
  it('follows current-context and uses a static token', () => {
    const connection = connectionFromKubeconfig(`
apiVersion: v1
kind: Config
current-context: b
clusters:
  - name: one
    cluster: { server: "https://one.example:6443/" }
  - name: two
    cluster: { server: "https://127.0.0.1:7443", insecure-skip-tls-verify: true }
users:
  - { name: u1, user: { token: first } }
  - { name: u2, user: { token: second } }
contexts:
  - { name: a, context: { cluster: one, user: u1 } }
  - { name: b, context: { cluster: two, user: u2 } }
`);
    expect(connection.server).toBe('https://127.0.0.1:7443');
    expect(connection.authorization()).toBe('Bearer second');
  });

  it('reads a token file relative to the kubeconfig, and JSON kubeconfigs with embedded certificates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const tokenFile = connectionFromKubeconfig(
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://x:1' } }],
        users: [{ name: 'u', user: { tokenFile: join(dir, 'token') } }],
        contexts: [{ name: 'k', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'k',
      }),
      dir,
    );
    expect(tokenFile.authorization()).toBe('Bearer from-file');
    const certs = connectionFromKubeconfig(
      JSON.stringify({
        clusters: [
          { name: 'c', cluster: { server: 'https://x:1', 'certificate-authority-data': b64('ca') } },
        ],
        users: [
          { name: 'u', user: { 'client-certificate-data': b64('cert'), 'client-key-data': b64('key') } },
        ],
        contexts: [{ name: 'k', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'k',
      }),
    );
    expect(certs.authorization()).toBeUndefined(); // client certificates authenticate in TLS
  });

  it('refuses a kubeconfig without a server, and in-cluster config outside a cluster', () => {
    expect(() => connectionFromKubeconfig('apiVersion: v1\nkind: Config\n')).toThrow(
      'the kubeconfig names no cluster server',
    );
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => inClusterConnection()).toThrow('not running in a cluster');
    if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
  });
});
