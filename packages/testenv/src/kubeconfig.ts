// Kubeconfig files with embedded credentials (JSON is valid YAML, so kubectl, helm and client-node all read it).
import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';

export type Credentials = { certPem: string; keyPem: string } | { token: string };

const b64 = (text: string): string => Buffer.from(text).toString('base64');

export function kubeconfigDocument(
  server: string,
  caPem: string,
  user: string,
  credentials: Credentials,
): string {
  const userEntry =
    'token' in credentials
      ? { token: credentials.token }
      : { 'client-certificate-data': b64(credentials.certPem), 'client-key-data': b64(credentials.keyPem) };
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'eevee-testenv', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
      users: [{ name: user, user: userEntry }],
      contexts: [{ name: user, context: { cluster: 'eevee-testenv', user } }],
      'current-context': user,
    },
    null,
    2,
  );
}

export async function writeKubeconfig(path: string, document: string): Promise<KubeConfig> {
  await writeFile(path, document, { mode: 0o600 });
  const kc = new KubeConfig();
  kc.loadFromString(document);
  return kc;
}
