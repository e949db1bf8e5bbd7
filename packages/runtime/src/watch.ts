// One watch request: newline-delimited JSON events until the server ends it, the caller aborts, or no byte
// arrives for `inactivityMs` (a half-open connection would otherwise stall forever).
import { fetch } from 'undici';
import type { Connection } from './kube-config.ts';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown> & { code?: number; metadata?: { resourceVersion?: string } };
}

export class WatchHttpError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

export class WatchStalledError extends Error {}

export async function watchOnce(
  connection: Connection,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onEvent: (event: WatchEvent) => void,
  options: { signal?: AbortSignal; inactivityMs?: number; accept?: string } = {},
): Promise<void> {
  const url = new URL(connection.server + path);
  url.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, options.inactivityMs ?? 30_000);
    timer.unref();
  };
  try {
    arm();
    const authorization = connection.authorization();
    const response = await fetch(url, {
      headers: { accept: options.accept ?? 'application/json', ...(authorization ? { authorization } : {}) },
      dispatcher: connection.dispatcher,
      signal: controller.signal,
    });
    if (response.status !== 200) {
      const text = await response.text();
      throw new WatchHttpError(response.status, `watch ${path}: ${response.status} ${text.slice(0, 300)}`);
    }
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      arm();
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) onEvent(JSON.parse(line) as WatchEvent);
      }
    }
  } catch (err) {
    if (stalled)
      throw new WatchStalledError(`watch ${path}: no data for ${options.inactivityMs ?? 30_000} ms`);
    if (controller.signal.aborted && options.signal?.aborted) return;
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
