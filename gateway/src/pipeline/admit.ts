// The rate-limit step every transport shares: one authenticated caller, one request, counted in
// its surface's scheme under one subject. HTTP GraphQL and the REST routes call it per request,
// graphql-ws per operation (not only per connection), so a socket shares the HTTP budget.
import type { Authenticated } from '../security/ApiKeyResolver.js';
import { rateLimitHeaders, type RateLimiter, type RateLimitResult } from '../security/RateLimiter.js';
import type { RateLimitScheme } from '../security/planLimits.js';

export interface Admission {
  allowed: boolean;
  /** The scheme's documented X-RateLimit-* headers. */
  headers: Record<string, string>;
  result: RateLimitResult;
}

/** The counter a caller's requests share, whatever the transport: the key, else account + subject. */
export function rateLimitSubject(auth: Authenticated): string {
  return auth.principal.keyId ?? `${auth.principal.accountId}:${auth.principal.subject ?? ''}`;
}

export async function admit(limiter: RateLimiter, auth: Authenticated, scheme: RateLimitScheme = 'techcorp-v2'): Promise<Admission> {
  const result = await limiter.hit(rateLimitSubject(auth), scheme === 'techcorp-v2' ? auth.limits : auth.schemeLimits[scheme]);
  return { allowed: result.allowed, headers: rateLimitHeaders(result, { window: scheme === 'techcorp-v2' }), result };
}
