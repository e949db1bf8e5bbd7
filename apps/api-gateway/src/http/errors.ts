// Every error answer is JSON `{ "error": ..., "details"?: ... }` (upstream's shape), never a stack trace or
// an HTML page. Routes throw ApiError with the exact body; anything else becomes a 500 with a generic message
// and is logged (redacted by the logger) for the operator.
import type { Context, Next } from 'koa';
import type { Logger } from '@eevee/runtime';

export interface ErrorBody {
  error: string;
  details?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;
  constructor(status: number, body: ErrorBody, headers: Record<string, string> = {}) {
    super(body.error);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Errors koa and @koa/router throw (http-errors): a status and whether the message is safe to show. */
interface HttpErrorLike {
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

const isHttpError = (err: unknown): err is HttpErrorLike & { status: number } =>
  typeof err === 'object' &&
  err !== null &&
  typeof (err as HttpErrorLike).status === 'number' &&
  (err as { status: number }).status >= 400 &&
  (err as { status: number }).status < 600;

export function errorHandler(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = err.body;
        return;
      }
      // 4xx from koa or the router (405 …), and the router's 501 for an unknown method.
      if (isHttpError(err) && (err.status < 500 || err.status === 501)) {
        ctx.status = err.status;
        ctx.body = {
          error:
            err.expose === true && typeof err.message === 'string' ? err.message : statusText(err.status),
        };
        return;
      }
      logger.error('request failed', {
        method: ctx.method,
        route: ctx.path.slice(0, 200),
        error: (err as Error).message,
      });
      ctx.status = 500;
      ctx.body = { error: 'Internal server error' };
    }
  };
}

/** The answer for a path nothing serves. */
export function notFound(): never {
  throw new ApiError(404, { error: 'Not found' });
}

function statusText(status: number): string {
  return status === 501 ? 'Not Implemented' : 'Bad request';
}
