import type { AccessRules } from '../../../platform/src/access.js';

export const access: AccessRules = {
  'Query.viewer': 'authenticated',
  'Query.apiKeys': 'authenticated',
  'Query.resolveApiKey': 'service',
  'Mutation.createApiKey': { scope: 'admin' },
  'Mutation.revokeApiKey': { scope: 'admin' },
};
