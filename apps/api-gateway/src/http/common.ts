// Pieces the route tables share: the documented error answers, the cache-synced guard, and how a name from a
// request is echoed back (bounded: a hostile 10 kB path segment is not reflected whole).
import { errorSchema } from '../schemas.ts';
import type { ModuleReader } from '../kube/module-cache.ts';
import { ApiError } from './errors.ts';
import type { ResponseSpec } from './operation.ts';

export const authErrors: Record<number, ResponseSpec> = {
  401: { description: 'Missing, malformed or unknown token, or none configured.', schema: errorSchema },
  429: { description: 'Too many requests from this client IP.', schema: errorSchema },
};

export const restartErrors: Record<number, ResponseSpec> = {
  ...authErrors,
  403: { description: 'The token may only read.', schema: errorSchema },
  404: { description: 'No such module in a namespace the gateway serves.', schema: errorSchema },
  413: { description: 'Request body too large.', schema: errorSchema },
};

/** Refuses to answer from caches that have not finished their first list. */
export function requireSynced(cache: ModuleReader, error: string): void {
  const reasons = cache.notSynced();
  if (reasons.length > 0) throw new ApiError(503, { error, details: reasons.join('; ') });
}

export const shown = (value: string): string => (value.length > 253 ? `${value.slice(0, 253)}…` : value);
