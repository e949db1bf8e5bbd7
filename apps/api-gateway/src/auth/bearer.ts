// Bearer authentication with upstream's exact answers (the admin module and scripts match on them). The order
// matters and is upstream's: no token configured → the API is closed (never open "for development"); then the
// header's presence, its format, and the token. A valid token without the needed scope is 403.
import type { Context, Next } from 'koa';
import { ApiError } from '../http/errors.ts';
import type { Scope } from './tokens.ts';
import { allows } from './tokens.ts';

export interface TokenVerifier {
  readonly configured: boolean;
  verify(presented: string): Scope | undefined;
}

// RFC 6750: tell the client which scheme to use.
const challenge = { 'WWW-Authenticate': 'Bearer realm="eevee-operator"' };
const unauthorized = (error: string): ApiError => new ApiError(401, { error }, challenge);

/** The token of an `Authorization: Bearer <token>` header, or the upstream error for a malformed one. */
export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized('Authorization header required');
  // Upstream: exactly two space-separated parts; the scheme is compared case-insensitively (RFC 7235).
  const parts = header.split(' ');
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer' || !parts[1])
    throw unauthorized('Invalid authorization format');
  return parts[1];
}

export function requireToken(tokens: TokenVerifier, needed: Scope) {
  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    if (!tokens.configured) throw unauthorized('API Token not configured');
    const granted = tokens.verify(bearerToken(ctx.get('authorization') || undefined));
    if (!granted) throw unauthorized('Invalid token');
    if (!allows(granted, needed))
      throw new ApiError(403, { error: 'Forbidden', details: `this token may not ${needed} modules` });
    ctx.state.scope = granted;
    await next();
  };
}
