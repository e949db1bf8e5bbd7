// One table of operations drives both the router and the OpenAPI document: each names its method, path,
// authentication, rate limiting, request and response schemas, and handler.
import type { RouterContext } from '@koa/router';
import type { z } from 'zod';
import type { Scope } from '../auth/tokens.ts';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface Operation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  tags: string[];
  /** Required token scope, or null for an open route. */
  auth: Scope | null;
  rateLimited: boolean;
  pathParams?: Record<string, string>;
  queryParams?: Record<string, string>;
  requestBody?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  handler: (ctx: RouterContext) => void | Promise<void>;
}

/** Answers `body` after checking it against the response schema (a mismatch is a bug: 500, logged). */
export function reply<S extends z.ZodType>(
  ctx: RouterContext,
  status: number,
  schema: S,
  body: z.input<S>,
): void {
  ctx.status = status;
  ctx.body = schema.parse(body);
}

/** Answers a body serialized earlier (ViewCache), already validated. */
export function replySerialized(
  ctx: RouterContext,
  body: Buffer,
  type = 'application/json; charset=utf-8',
): void {
  ctx.status = 200;
  ctx.type = type;
  ctx.body = body;
}
