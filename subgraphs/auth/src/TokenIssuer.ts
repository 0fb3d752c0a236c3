// Turns a successful sign-in (password login, OAuth code) into the documented token response and
// refreshes it: a JWT access token (1 h) plus a rotating refresh token of the sign-in's family.
import type { Db } from 'mongodb';
import type { Plan } from '../../../platform/src/principal.js';
import { ACCESS_TOKEN_TTL_S } from '../../../platform/src/accessTokens.js';
import { accounts } from './store.js';
import { identities } from './identityIndexes.js';
import { issueRefreshToken, rotateRefreshToken, revokeFamily, type RefreshOutcome } from './refreshTokens.js';
import type { AccessTokenSigner } from './AccessTokenSigner.js';

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope?: string;
}

export interface SignInGrant {
  identityId: string;
  accountId: string;
  plan: Plan;
  scopes: string[];
  clientId: string | null;
  /** Join this family (an OAuth code pre-assigns one so a replayed code can revoke it). */
  familyId?: string;
}

export class TokenIssuer {
  constructor(private readonly db: Db, private readonly jwt: AccessTokenSigner) {}

  async issue(grant: SignInGrant): Promise<TokenResponse> {
    const refresh = await issueRefreshToken(this.db, { identityId: grant.identityId, accountId: grant.accountId, clientId: grant.clientId, scopes: grant.scopes, ...(grant.familyId ? { familyId: grant.familyId } : {}) });
    return this.respond(grant, refresh.doc.familyId, refresh.token);
  }

  /** Rotates the refresh token; the identity must still exist (a deleted person cannot refresh). */
  async refresh(token: string, clientId: string | null): Promise<TokenResponse | Exclude<RefreshOutcome, { ok: true }>> {
    const outcome = await rotateRefreshToken(this.db, token, clientId);
    if (!outcome.ok) return outcome;
    const { used, next } = outcome;
    const identity = await identities(this.db).findOne({ _id: used.identityId, accountId: used.accountId });
    if (!identity) {
      await revokeFamily(this.db, used.familyId);
      return { ok: false, reason: 'revoked' };
    }
    const account = await accounts(this.db).findOne({ _id: used.accountId });
    return this.respond({ identityId: used.identityId, accountId: used.accountId, plan: account?.plan ?? 'free', scopes: used.scopes, clientId: used.clientId }, used.familyId, next.token);
  }

  private async respond(grant: SignInGrant, familyId: string, refreshToken: string): Promise<TokenResponse> {
    const scope = grant.scopes.join(' ');
    const access = await this.jwt.issue({ sub: grant.identityId, acct: grant.accountId, plan: grant.plan, scope, sid: familyId, ...(grant.clientId ? { client_id: grant.clientId } : {}) });
    return { access_token: access, refresh_token: refreshToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S, ...(grant.clientId ? { scope } : {}) };
  }
}
