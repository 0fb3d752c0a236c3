// `Authorization: Bearer <jwt>`: a JWT works wherever an API key does (REST, GraphQL, graphql-ws).
// A token that looks like a JWT but fails verification is a 401 (never handed to the next resolver).
// A token whose sign-in was logged out (its refresh family revoked) is refused too; that answer is
// cached for a few seconds and dropped at once when auth announces a revocation (see watchCredentialChanges).
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import type { Plan } from '../../../platform/src/principal.js';
import { isFamilyRevoked } from '../../../subgraphs/auth/src/refreshTokens.js';
import type { Authenticated } from './ApiKeyResolver.js';
import type { CredentialResolver } from './authenticate.js';
import type { JwtService } from './JwtService.js';
import { allSchemeLimits, limitsFor } from './planLimits.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PLANS: Plan[] = ['free', 'starter', 'pro', 'enterprise'];

export class JwtResolver implements CredentialResolver {
  private readonly revoked = new Map<string, { value: boolean; expires: number }>();

  constructor(private readonly options: { jwt: JwtService; db: Db; enterpriseLimits: EnterpriseLimits; cacheMs: number }) {}

  /** Forget cached revocation answers (a refresh token changed somewhere). */
  invalidate(): void {
    this.revoked.clear();
  }

  async authenticate(token: string, requestId: string): Promise<Authenticated | undefined> {
    if (!JWT_SHAPE.test(token)) return undefined;
    const result = await this.options.jwt.verify(token);
    if (!result.ok) throw new JunctionError('UNAUTHORIZED', result.reason === 'expired' ? 'Token expired: refresh it or sign in again' : 'Invalid token');
    const { claims } = result;
    if (await this.familyRevoked(claims.sid)) throw new JunctionError('UNAUTHORIZED', 'Token revoked: sign in again');
    const plan = PLANS.includes(claims.plan) ? claims.plan : 'free';
    return {
      principal: { accountId: claims.acct, mode: 'live', keyType: 'jwt', plan, scopes: claims.scope.split(' ').filter(Boolean), requestId, subject: claims.sub },
      limits: limitsFor(plan, this.options.enterpriseLimits),
      schemeLimits: allSchemeLimits(plan, this.options.enterpriseLimits),
    };
  }

  private async familyRevoked(sid: string): Promise<boolean> {
    const cached = this.revoked.get(sid);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = await isFamilyRevoked(this.options.db, sid);
    if (this.revoked.size > 50_000) this.revoked.clear();
    this.revoked.set(sid, { value, expires: Date.now() + this.options.cacheMs });
    return value;
  }
}
