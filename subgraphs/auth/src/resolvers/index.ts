import type { Resolvers, AccountPlan, ApiKeyType } from '../__generated__/resolvers-types.js';
import { JunctionError } from '../../../../platform/src/errors.js';
import type { KeyType, Plan, Principal } from '../../../../platform/src/principal.js';
import { accounts, createApiKey, expireKeysReplacedBy, findActiveKeyByHash, findApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../store.js';
import { identityResolvers } from './identities.js';
import { oauthClientMutations, oauthClientQueries } from './oauthClients.js';
import { isFamilyRevoked, revokeRefreshToken } from '../refreshTokens.js';
import { consentFlowMutations, consentFlowQueries } from './consentFlow.js';
import { tokenFlowMutations, tokenFlowQueries } from './tokenFlow.js';

const toPlan = (plan: AccountPlan): Plan => plan.toLowerCase() as Plan;
const fromPlan = (plan: Plan): AccountPlan => plan.toUpperCase() as AccountPlan;
const toKeyType = (type: ApiKeyType): KeyType => type.toLowerCase() as KeyType;
const fromKeyType = (type: KeyType): ApiKeyType => type.toUpperCase() as ApiKeyType;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Key management is a live-mode act: a sandbox (test) key must not mint or revoke real keys. */
function assertLive(principal: Principal): void {
  if (principal.mode !== 'live') throw new JunctionError('FORBIDDEN', 'Test keys cannot manage API keys');
}

export const resolvers: Resolvers = {
  Query: {
    viewer: async (_p, _a, { db, principal }) => (await accounts(db).findOne({ _id: principal.accountId })) ?? null,
    // Keys, people and OAuth clients are the live account's business: a sandbox key sees none.
    apiKeys: (_p, { includeRevoked }, { db, principal }) => (principal.mode === 'live' ? listApiKeys(db, principal.accountId, includeRevoked ?? false) : []),
    apiKey: (_p, { id }, { db, principal }) => (principal.mode === 'live' ? findApiKey(db, principal.accountId, id) : null),
    ...identityResolvers.Query,
    ...oauthClientQueries,
    ...consentFlowQueries,
    ...tokenFlowQueries,
    signInRevoked: (_p, { sessionId }, { db }) => isFamilyRevoked(db, sessionId),
    resolveApiKey: async (_p, { keyHash }, { db }) => {
      const doc = await findActiveKeyByHash(db, keyHash);
      if (!doc) return null;
      return {
        keyId: doc._id,
        accountId: doc.accountId,
        type: fromKeyType(doc.type),
        plan: fromPlan(doc.plan),
        scopes: doc.scopes,
        rateLimitPerMinute: doc.rateLimits?.perMinute ?? null,
        rateLimitPerDay: doc.rateLimits?.perDay ?? null,
      };
    },
  },
  Mutation: {
    ...consentFlowMutations,
    ...tokenFlowMutations,
    signOut: (_p, { refreshToken }, { db }) => revokeRefreshToken(db, refreshToken),
    createApiKey: async (_p, { type, plan, scopes, expiresAt, name, rotate }, { db, principal }) => {
      assertLive(principal);
      const account = await accounts(db).findOne({ _id: principal.accountId });
      if (!account) throw new JunctionError('RESOURCE_NOT_FOUND', 'Account does not exist');
      let expires: Date | null = null;
      if (expiresAt) {
        expires = new Date(expiresAt);
        if (Number.isNaN(expires.getTime())) throw new JunctionError('INVALID_REQUEST', 'expiresAt must be an ISO 8601 date', { param: 'expiresAt' });
      }
      const { doc, secret } = await createApiKey(db, {
        accountId: account._id,
        type: toKeyType(type),
        plan: plan ? toPlan(plan) : account.plan,
        ...(scopes ? { scopes } : {}),
        expiresAt: expires,
        name: name ?? null,
      });
      if (rotate) await expireKeysReplacedBy(db, doc);
      return { apiKey: doc, secret };
    },
    rotateApiKey: async (_p, { id }, { db, principal }) => {
      assertLive(principal);
      const { doc, secret } = await rotateApiKey(db, principal.accountId, id);
      return { apiKey: doc, secret };
    },
    ...identityResolvers.Mutation,
    ...oauthClientMutations,
    revokeApiKey: (_p, { id }, { db, principal }) => {
      assertLive(principal);
      return revokeApiKey(db, principal.accountId, id);
    },
  },
  Account: {
    __resolveReference: async (ref, { db, principal }) => {
      // Another account's id resolves to nothing, whatever its shape.
      if (ref.id !== principal.accountId) return null;
      return accounts(db).findOne({ _id: ref.id });
    },
    id: (doc) => doc._id,
    plan: (doc) => fromPlan(doc.plan),
    createdAt: (doc) => doc.createdAt.toISOString(),
    apiKeys: (doc, { includeRevoked }, { db }) => listApiKeys(db, doc._id, includeRevoked ?? false),
  },
  ApiKey: {
    id: (doc) => doc._id,
    type: (doc) => fromKeyType(doc.type),
    plan: (doc) => fromPlan(doc.plan),
    createdAt: (doc) => doc.createdAt.toISOString(),
    revokedAt: (doc) => iso(doc.revokedAt),
    expiresAt: (doc) => iso(doc.expiresAt),
    name: (doc) => doc.name ?? null,
    rotatedToId: (doc) => doc.rotatedToId ?? null,
  },
  Identity: identityResolvers.Identity!,
  OAuthClient: identityResolvers.OAuthClient!,
};
