// Certificates for the local control plane, made with the system's openssl (about 0.3 s).
// One CA signs the serving cert and every client cert; Kubernetes reads the user from CN and groups from O.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    throw new Error(`openssl ${args[0] ?? ''} failed: ${(err as Error).message}`, { cause: err });
  }
}

export interface ClientCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export class Pki {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  get caCert(): string {
    return join(this.dir, 'ca.crt');
  }
  get caKey(): string {
    return join(this.dir, 'ca.key');
  }
  get saKey(): string {
    return join(this.dir, 'sa.key');
  }
  get saPub(): string {
    return join(this.dir, 'sa.pub');
  }

  /** CA, apiserver serving cert, service-account signing key pair. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.ecKey(this.caKey);
    const caExt = join(this.dir, 'ca.ext');
    await writeFile(
      caExt,
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\n',
    );
    await openssl([
      'req',
      '-new',
      '-key',
      this.caKey,
      '-subj',
      '/CN=eevee-testenv-ca',
      '-out',
      join(this.dir, 'ca.csr'),
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      join(this.dir, 'ca.csr'),
      '-signkey',
      this.caKey,
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      caExt,
      '-out',
      this.caCert,
    ]);
    const san = [
      'IP:127.0.0.1',
      'DNS:localhost',
      'IP:10.96.0.1',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
    ].join(',');
    await Promise.all([
      this.leaf('apiserver', '/CN=kube-apiserver', `extendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`),
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', this.saKey]).then(
        () => openssl(['pkey', '-in', this.saKey, '-pubout', '-out', this.saPub]),
      ),
    ]);
  }

  /** A client certificate for `user` in `groups` (no permissions until RBAC grants some). */
  async clientCert(name: string, user: string, groups: string[] = []): Promise<ClientCert> {
    const subject = [...groups.map((g) => `/O=${g}`), `/CN=${user}`].join('');
    await this.leaf(name, subject, 'extendedKeyUsage=clientAuth\n');
    const certPath = join(this.dir, `${name}.crt`);
    const keyPath = join(this.dir, `${name}.key`);
    return {
      certPath,
      keyPath,
      certPem: await readFile(certPath, 'utf8'),
      keyPem: await readFile(keyPath, 'utf8'),
    };
  }

  private ecKey(path: string): Promise<void> {
    return openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
  }

  private async leaf(name: string, subject: string, extensions: string): Promise<void> {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const ext = join(this.dir, `${name}.ext`);
    await this.ecKey(key);
    await writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n${extensions}`);
    await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      this.caCert,
      '-CAkey',
      this.caKey,
      '-CAcreateserial',
      '-days',
      '365',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      join(this.dir, `${name}.crt`),
    ]);
  }
}
