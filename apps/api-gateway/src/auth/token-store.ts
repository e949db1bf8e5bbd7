// Where the tokens come from at run time: EEVEE_OPERATOR_API_TOKEN and EEVEE_OPERATOR_API_TOKEN_FILE (a file, or a
// directory such as a mounted Secret: every regular file in it except the `..data`-style entries Kubernetes
// adds). The file side is re-read periodically, so a rotated Secret takes effect without a restart; a read that
// fails keeps the tokens loaded before (a Secret update is an atomic symlink swap, never a half-written file).
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@eevee/runtime';
import type { Scope, TokenEntry } from './tokens.ts';
import { entryOf, parseTokenFile, verifyToken } from './tokens.ts';

export const DEFAULT_TOKEN_RELOAD_MS = 10_000;

export class TokenStore {
  private readonly envEntries: TokenEntry[];
  private fileEntries: TokenEntry[] = [];
  private readonly file: string | undefined;
  private readonly logger: Logger | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: { envToken?: string | undefined; file?: string | undefined; logger?: Logger }) {
    const envToken = options.envToken?.trim();
    this.envEntries = envToken ? [entryOf(envToken)] : [];
    this.file = options.file;
    this.logger = options.logger;
  }

  /** Loads the file (a failure here is fatal: a gateway must not start with tokens it cannot read). */
  async start(reloadMs = DEFAULT_TOKEN_RELOAD_MS): Promise<void> {
    if (!this.file) return;
    this.fileEntries = await readTokens(this.file);
    this.warnIfEmpty();
    this.timer = setInterval(() => void this.reload(), reloadMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get configured(): boolean {
    return this.envEntries.length + this.fileEntries.length > 0;
  }

  get count(): number {
    return this.envEntries.length + this.fileEntries.length;
  }

  verify(presented: string): Scope | undefined {
    return verifyToken([...this.envEntries, ...this.fileEntries], presented);
  }

  async reload(): Promise<void> {
    if (!this.file) return;
    try {
      const entries = await readTokens(this.file);
      if (entries.length !== this.fileEntries.length)
        this.logger?.info('API tokens reloaded', { tokens: entries.length });
      this.fileEntries = entries;
    } catch (err) {
      this.logger?.warn('could not re-read the API token file; keeping the tokens loaded before', {
        error: (err as Error).message,
      });
    }
  }

  private warnIfEmpty(): void {
    if (!this.configured)
      this.logger?.warn('no API token configured: every authenticated route answers 401 until one is');
  }
}

async function readTokens(path: string): Promise<TokenEntry[]> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return parseTokenFile(await readFile(path, 'utf8'), path);
    const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
    const entries: TokenEntry[] = [];
    for (const name of names) {
      const file = join(path, name);
      // Mounted Secret keys are symlinks to files; stat follows them.
      if ((await stat(file)).isFile()) entries.push(...parseTokenFile(await readFile(file, 'utf8'), file));
    }
    return entries;
  } catch (err) {
    throw new Error(`reading API tokens from ${path}: ${(err as Error).message}`, { cause: err });
  }
}
