// The OAuth consent flow's operations, for the gateway's service principal only: the gateway
// serves the consent page and cookies, auth decides who the client and person are and mints codes.
import { JunctionError } from '../../../../platform/src/errors.js';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.js';
import { identities } from '../identityIndexes.js';
import { passwordSignIn } from '../identities.js';
import { createAuthorizationCode, findActiveClient, grantedScopes } from '../oauthClients.js';

const person = (doc: { _id: string; accountId: string; email: string }) => ({ id: doc._id, accountId: doc.accountId, email: doc.email });

export const consentFlowQueries: QueryResolvers = {
  oauthAuthorizingClient: async (_p, { clientId, scope }, { db }) => {
    const client = await findActiveClient(db, clientId);
    if (!client) return null;
    return { id: client._id, name: client.name, redirectUris: client.redirectUris, grantedScopes: grantedScopes(client, scope ?? undefined) ?? null };
  },
  oauthSessionPerson: async (_p, { identityId }, { db }) => {
    const identity = await identities(db).findOne({ _id: identityId });
    return identity && !(identity.lockedUntil && identity.lockedUntil > new Date()) ? person(identity) : null;
  },
};

export const consentFlowMutations: MutationResolvers = {
  oauthSignIn: async (_p, { email, password }, { db, config }) => {
    // The launcher passes the resolved PRINCIPAL_SECRET (it keys the failure counters of unknown emails).
    if (!config.principalSecret) throw new Error('oauthSignIn: PRINCIPAL_SECRET missing from the subgraph configuration');
    return person((await passwordSignIn(db, email, password, { secret: config.principalSecret, method: 'oauth' })).identity);
  },
  createAuthorizationCode: async (_p, { clientId, identityId, redirectUri, scope, codeChallenge }, { db }) => {
    const client = await findActiveClient(db, clientId);
    const scopes = client && client.redirectUris.includes(redirectUri) ? grantedScopes(client, scope ?? undefined) : undefined;
    if (!client || !scopes) throw new JunctionError('INVALID_REQUEST', 'Unknown client, unregistered redirect_uri or scope beyond the client', { param: 'clientId' });
    const identity = await identities(db).findOne({ _id: identityId });
    if (!identity) throw new JunctionError('INVALID_REQUEST', 'The person no longer exists', { param: 'identityId' });
    return createAuthorizationCode(db, { clientId: client._id, identityId: identity._id, accountId: identity.accountId, redirectUri, scopes, codeChallenge });
  },
};
