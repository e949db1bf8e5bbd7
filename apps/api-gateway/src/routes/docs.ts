// GET /api/openapi.json: open (it describes routes, never data), built once from the operation table.
import type { Operation } from '../http/operation.ts';
import { replySerialized } from '../http/operation.ts';
import { openApiDocument } from '../openapi.ts';

/** `all` returns every operation of the app, this one included. */
export function docsOperation(all: () => readonly Operation[]): Operation {
  let serialized: Buffer | undefined;
  return {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document.',
    tags: ['docs'],
    auth: null,
    rateLimited: true,
    responses: { 200: { description: 'OpenAPI 3.1.', contentType: 'application/json' } },
    handler: (ctx) => {
      serialized ??= Buffer.from(JSON.stringify(openApiDocument(all())));
      replySerialized(ctx, serialized);
    },
  };
}
