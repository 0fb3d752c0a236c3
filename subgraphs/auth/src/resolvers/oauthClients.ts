// OAuth client registration for an account's admins (the token endpoints are REST, in the gateway).
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.js';
import { JunctionError } from '../../../../platform/src/errors.js';
import { oauthClients, refreshTokens } from '../identityIndexes.js';
import { createOAuthClient } from '../oauthClients.js';
import { revoking } from '../revoking.js';

export const oauthClientQueries: QueryResolvers = {
  oauthClients: async (_p, _a, { db, principal }) => (principal.mode === 'live' ? oauthClients(db).find({ accountId: principal.accountId }).sort({ createdAt: 1 }).toArray() : []),
  oauthClient: async (_p, { id }, { db, principal }) => (principal.mode === 'live' ? oauthClients(db).findOne({ _id: id, accountId: principal.accountId }) : null),
};

export const oauthClientMutations: MutationResolvers = {
  createOAuthClient: async (_p, { name, redirectUris, scopes }, { db, principal }) => {
    if (principal.mode !== 'live') throw new JunctionError('FORBIDDEN', 'Test keys cannot register OAuth clients');
    const { client, secret } = await createOAuthClient(db, { accountId: principal.accountId, name, redirectUris, scopes });
    return { client, clientSecret: secret };
  },
  revokeOAuthClient: async (_p, { id }, { db, principal }) => {
    if (principal.mode !== 'live') throw new JunctionError('FORBIDDEN', 'Test keys cannot manage OAuth clients');
    await oauthClients(db).updateOne({ _id: id, accountId: principal.accountId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    const doc = await oauthClients(db).findOne({ _id: id, accountId: principal.accountId });
    if (doc) await revoking(db, 'refresh_family', async (session) => (await refreshTokens(db).updateMany({ clientId: doc._id, revokedAt: null }, { $set: { revokedAt: new Date() } }, { session })).modifiedCount);
    if (!doc) throw new JunctionError('RESOURCE_NOT_FOUND', `OAuth client ${id} does not exist`, { param: 'id' });
    return doc;
  },
};
