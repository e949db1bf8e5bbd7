// Where the API server is and how to authenticate, read from a kubeconfig (file or text) or from the
// in-cluster ServiceAccount. Our own small loader: @kubernetes/client-node's KubeConfig pulls in the whole
// generated API (about 85 MiB of resident memory), which a controller does not need.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { parse } from 'yaml';

export interface Connection {
  server: string;
  dispatcher: Agent;
  /** The Authorization header value, re-read for token files (ServiceAccount tokens rotate). */
  authorization(): string | undefined;
}

interface NamedCluster {
  name: string;
  cluster: {
    server: string;
    'certificate-authority-data'?: string;
    'certificate-authority'?: string;
    'insecure-skip-tls-verify'?: boolean;
  };
}
interface NamedUser {
  name: string;
  user: {
    token?: string;
    tokenFile?: string;
    'client-certificate-data'?: string;
    'client-certificate'?: string;
    'client-key-data'?: string;
    'client-key'?: string;
  };
}
interface KubeconfigDocument {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: NamedCluster[];
  users?: NamedUser[];
}

const b64 = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

function material(data: string | undefined, file: string | undefined, base: string): string | undefined {
  if (data) return b64(data);
  if (file) return readFileSync(file.startsWith('/') ? file : join(base, file), 'utf8');
  return undefined;
}

function tokenReader(token: string | undefined, file: string | undefined): () => string | undefined {
  if (token) return () => `Bearer ${token}`;
  if (!file) return () => undefined;
  let cached: { value: string; at: number } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > 60_000)
      cached = { value: readFileSync(file, 'utf8').trim(), at: Date.now() };
    return `Bearer ${cached.value}`;
  };
}

/** Connection from kubeconfig text (YAML or JSON); `base` resolves relative file paths. */
export function connectionFromKubeconfig(text: string, base = process.cwd()): Connection {
  const doc = parse(text) as KubeconfigDocument;
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context ?? doc.contexts?.[0]?.context;
  const cluster =
    doc.clusters?.find((c) => c.name === context?.cluster)?.cluster ?? doc.clusters?.[0]?.cluster;
  const user = doc.users?.find((u) => u.name === context?.user)?.user ?? doc.users?.[0]?.user ?? {};
  if (!cluster?.server) throw new Error('the kubeconfig names no cluster server');
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority'], base);
  const cert = material(user['client-certificate-data'], user['client-certificate'], base);
  const key = material(user['client-key-data'], user['client-key'], base);
  const dispatcher = new Agent({
    connect: {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      rejectUnauthorized: !cluster['insecure-skip-tls-verify'],
    },
    keepAliveTimeout: 30_000,
  });
  return {
    server: cluster.server.replace(/\/$/, ''),
    dispatcher,
    authorization: tokenReader(user.token, user.tokenFile),
  };
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Connection of a pod's ServiceAccount (KUBE_IN_CLUSTER_CONFIG). */
export function inClusterConnection(): Connection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST is unset');
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(SA_DIR, 'ca.crt'), 'utf8') } });
  return { server, dispatcher, authorization: tokenReader(undefined, join(SA_DIR, 'token')) };
}

/** KUBECONFIG (first file), else ~/.kube/config. */
export function defaultConnection(): Connection {
  const path = process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');
  return connectionFromKubeconfig(readFileSync(path, 'utf8'), join(path, '..'));
}
