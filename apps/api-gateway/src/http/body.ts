// Reads a JSON request body with a size limit. The declared Content-Length is checked before a byte is read
// (413 at once), and a chunked body is counted while it streams and abandoned at the limit, so a client cannot
// make the gateway buffer more than BODY_LIMIT_BYTES.
import type { Context, Next } from 'koa';
import { ApiError } from './errors.ts';

const tooLarge = (limit: number): ApiError =>
  new ApiError(
    413,
    { error: 'Request body too large', details: `the limit is ${limit} bytes` },
    { Connection: 'close' },
  );

/** Refuses a declared body over the limit on every route, before authentication does any work. */
export function declaredBodyLimit(limit: number) {
  return async function checkLength(ctx: Context, next: Next): Promise<void> {
    const declared = ctx.request.length;
    if (declared !== undefined && declared > limit) throw tooLarge(limit);
    await next();
  };
}

/** The parsed JSON body, `{}` for an empty one; 415 for another media type, 400 for malformed JSON. */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const hasBody =
    ctx.request.length !== undefined ? ctx.request.length > 0 : ctx.get('transfer-encoding') !== '';
  if (!hasBody) return {};
  if (!ctx.is('application/json', 'application/*+json'))
    throw new ApiError(415, { error: 'Unsupported media type', details: 'send application/json' });
  const text = await readLimited(ctx.req, limit);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, { error: 'Invalid JSON body' });
  }
}

/**
 * Collects the body up to `limit` bytes. Over the limit it stops reading (the socket is closed after the 413,
 * see `Connection: close`) instead of destroying the request, which would also lose the answer.
 */
function readLimited(req: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      resolveBody(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (): void => {
      cleanup();
      reject(new ApiError(400, { error: 'Could not read the request body' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    // A client that disconnects mid-body: 'close' without 'end'.
    req.on('close', onError);
  });
}
