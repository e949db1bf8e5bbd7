import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface TlsClient {
  ca?: string;
  cert?: string;
  key?: string;
  /** Accept any serving certificate (the controller-manager and scheduler use self-signed ones). */
  insecure?: boolean;
}

/** GET `url`; resolves with the status code and body, or rejects on a connection error. */
export function httpGet(url: string, tls: TlsClient = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const secure = url.startsWith('https:');
    const options = secure
      ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure, timeout: 5_000 }
      : { timeout: 5_000 };
    const req = (secure ? request : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

export async function isOk(url: string, tls: TlsClient = {}): Promise<boolean> {
  return (await httpGet(url, tls)).status === 200;
}
