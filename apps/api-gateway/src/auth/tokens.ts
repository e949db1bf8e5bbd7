// The API tokens: the upstream env token plus any number from a file or a mounted Secret (rotation: configure
// the new token beside the old one, switch the clients, remove the old one, no restart). Only SHA-256 digests
// are kept, and a presented token is compared with every one of them in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** `restart` may do everything; `read` may list and get. */
export type Scope = 'restart' | 'read';

export interface TokenEntry {
  digest: Buffer;
  scope: Scope;
}

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export const entryOf = (token: string, scope: Scope = 'restart'): TokenEntry => ({
  digest: digestOf(token),
  scope,
});

/**
 * Parses a token file: one token per line, optionally followed by a scope word (`read` or `restart`, the
 * default); blank lines and lines starting with `#` are ignored. A single-line file (a Secret key) is one token.
 * Throws on an unknown scope word, naming the line but never the token.
 */
export function parseTokenFile(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [token, scope, ...rest] = line.split(/\s+/);
    if (!token) return;
    if (rest.length > 0 || (scope !== undefined && scope !== 'read' && scope !== 'restart'))
      throw new Error(`${source} line ${index + 1}: expected "<token>" or "<token> read|restart"`);
    entries.push(entryOf(token, scope ?? 'restart'));
  });
  return entries;
}

/** The scope of the best matching token, or undefined. Every configured token is compared (no early exit). */
export function verifyToken(entries: readonly TokenEntry[], presented: string): Scope | undefined {
  const digest = digestOf(presented);
  let match: Scope | undefined;
  for (const entry of entries) {
    // Digests are always 32 bytes, so timingSafeEqual never sees unequal lengths.
    if (timingSafeEqual(entry.digest, digest) && match !== 'restart') match = entry.scope;
  }
  return match;
}

export const allows = (granted: Scope, needed: Scope): boolean => granted === 'restart' || needed === 'read';
