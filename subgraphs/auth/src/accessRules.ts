import type { AccessRules } from '../../../platform/src/access.js';

export const access: AccessRules = {
  'Query.viewer': 'authenticated',
  'Query.apiKeys': 'authenticated',
  'Query.resolveApiKey': 'service',
  'Mutation.createApiKey': { scope: 'admin' },
  'Mutation.revokeApiKey': { scope: 'admin' },
  'Mutation.rotateApiKey': { scope: 'admin' },
  'Query.apiKey': 'authenticated',
  'Query.identities': { scope: 'admin' },
  // Admins, or the signed-in person asking about themself (checked in the resolver).
  'Query.identity': 'authenticated',
  'Query.oauthClients': { scope: 'admin' },
  'Query.oauthClient': { scope: 'admin' },
  'Mutation.createIdentity': { scope: 'admin' },
  'Mutation.deleteIdentity': { scope: 'admin' },
  'Mutation.enrollTotp': { scope: 'auth:write' },
  'Mutation.createOAuthClient': { scope: 'admin' },
  'Mutation.revokeOAuthClient': { scope: 'admin' },
  'Mutation.verifyUser': { scope: 'auth:write' },
  'Mutation.sendOtp': { scope: 'auth:write' },
};
