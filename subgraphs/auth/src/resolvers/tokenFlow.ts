// Sign-in, refresh, OAuth code exchange and the JWKS, for the gateway's service principal only:
// the gateway serves the legacy endpoints, auth checks passwords, clients and codes and issues
// the tokens.
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.js';
import type { TokenResponse } from '../TokenIssuer.js';
import { identities } from '../identityIndexes.js';
import { passwordSignIn, scopesOfRole } from '../identities.js';
import { authenticateClient, redeemAuthorizationCode } from '../oauthClients.js';
import { revokeFamily } from '../refreshTokens.js';
import { accounts } from '../store.js';
import { delegableScopes } from '../delegableScopes.js';
import { tokenServiceFor } from '../tokenService.js';

const grant = (t: TokenResponse) => ({ accessToken: t.access_token, refreshToken: t.refresh_token, expiresIn: t.expires_in, scope: t.scope ?? null });

export const tokenFlowQueries: QueryResolvers = {
  jwks: async (_p, _a, { db, config }) => {
    const { keys } = tokenServiceFor(db, config.principalSecret);
    await keys.current(); // the JWKS is never empty
    // Read afresh: gateways cache it and ask again only when they meet an unknown kid.
    return JSON.stringify(await keys.jwks(true));
  },
  oauthClientAuthenticated: async (_p, { clientId, clientSecret }, { db }) => (await authenticateClient(db, clientId, clientSecret)) !== null,
};

export const tokenFlowMutations: MutationResolvers = {
  signIn: async (_p, { email, password }, { db, config }) => {
    if (!config.principalSecret) throw new Error('signIn: PRINCIPAL_SECRET missing from the subgraph configuration');
    const { identity, plan } = await passwordSignIn(db, email, password, { secret: config.principalSecret });
    return grant(await tokenServiceFor(db, config.principalSecret).tokens.issue({ identityId: identity._id, accountId: identity.accountId, plan, scopes: scopesOfRole(identity.role), clientId: null }));
  },
  refreshSession: async (_p, { refreshToken, clientId }, { db, config }) => {
    const refreshed = await tokenServiceFor(db, config.principalSecret).tokens.refresh(refreshToken, clientId ?? null);
    return 'ok' in refreshed ? { tokens: null, failure: refreshed.reason } : { tokens: grant(refreshed), failure: null };
  },
  exchangeAuthorizationCode: async (_p, { clientId, code, redirectUri, codeVerifier }, { db, config }) => {
    const redeemed = await redeemAuthorizationCode(db, code, { clientId, redirectUri, verifier: codeVerifier });
    if (!redeemed.ok) {
      if (redeemed.replayedFamily) await revokeFamily(db, redeemed.replayedFamily);
      return { tokens: null, failure: redeemed.description };
    }
    const granted = redeemed.code;
    const identity = await identities(db).findOne({ _id: granted.identityId, accountId: granted.accountId });
    if (!identity) return { tokens: null, failure: 'The user no longer exists' };
    const account = await accounts(db).findOne({ _id: granted.accountId });
    const tokens = await tokenServiceFor(db, config.principalSecret).tokens.issue({
      identityId: identity._id,
      accountId: identity.accountId,
      plan: account?.plan ?? 'free',
      scopes: delegableScopes(granted.scopes, identity.role),
      clientId,
      familyId: granted.familyId,
    });
    return { tokens: grant(tokens), failure: null };
  },
};
