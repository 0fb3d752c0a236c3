// `Authorization: Bearer <jwt>`: a JWT works wherever an API key does (REST, GraphQL, graphql-ws).
// A token that looks like a JWT but fails verification is a 401 (never handed to the next resolver).
// A token whose sign-in was logged out (its refresh family revoked) is refused too; that answer is
// asked of the auth subgraph (`signInRevoked`, as the gateway's service principal), cached for a few
// seconds and dropped at once when auth announces a revocation (see watchCredentialChanges).
import { JunctionError } from '../../../platform/src/errors.js';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import type { Plan } from '../../../platform/src/principal.js';
import { authServiceQuery, type AuthServiceTarget } from './authServiceQuery.js';
import type { Authenticated } from './ApiKeyResolver.js';
import type { CredentialResolver } from './authenticate.js';
import type { JwtService } from './JwtService.js';
import { allSchemeLimits, limitsFor } from './planLimits.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PLANS: Plan[] = ['free', 'starter', 'pro', 'enterprise'];
const SIGN_IN_REVOKED = 'query SignInRevoked($sessionId: ID!) { signInRevoked(sessionId: $sessionId) }';

export class JwtResolver implements CredentialResolver {
  private readonly revoked = new Map<string, { value: boolean; expires: number }>();
  private generation = 0;

  constructor(private readonly options: { jwt: JwtService; auth: AuthServiceTarget; enterpriseLimits: EnterpriseLimits; cacheMs: number }) {}

  /** Forget cached revocation answers (a refresh token changed somewhere). */
  invalidate(): void {
    this.generation++;
    this.revoked.clear();
  }

  async authenticate(token: string, requestId: string): Promise<Authenticated | undefined> {
    if (!JWT_SHAPE.test(token)) return undefined;
    const result = await this.options.jwt.verify(token, requestId);
    if (!result.ok) throw new JunctionError('UNAUTHORIZED', result.reason === 'expired' ? 'Token expired: refresh it or sign in again' : 'Invalid token');
    const { claims } = result;
    if (await this.familyRevoked(claims.sid, requestId)) throw new JunctionError('UNAUTHORIZED', 'Token revoked: sign in again');
    const plan = PLANS.includes(claims.plan) ? claims.plan : 'free';
    return {
      principal: { accountId: claims.acct, mode: 'live', keyType: 'jwt', plan, scopes: claims.scope.split(' ').filter(Boolean), requestId, subject: claims.sub },
      limits: limitsFor(plan, this.options.enterpriseLimits),
      schemeLimits: allSchemeLimits(plan, this.options.enterpriseLimits),
    };
  }

  private async familyRevoked(sid: string, requestId: string): Promise<boolean> {
    const cached = this.revoked.get(sid);
    if (cached && cached.expires > Date.now()) return cached.value;
    const generation = this.generation;
    const value = (await authServiceQuery<{ signInRevoked: boolean }>(this.options.auth, 'SignInRevoked', SIGN_IN_REVOKED, { sessionId: sid }, requestId)).signInRevoked;
    // An answer that raced a revocation is used once but not cached.
    if (generation !== this.generation) return value;
    if (this.revoked.size > 50_000) this.revoked.clear();
    this.revoked.set(sid, { value, expires: Date.now() + this.options.cacheMs });
    return value;
  }
}
