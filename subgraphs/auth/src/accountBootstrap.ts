// The launcher's bootstrap for the account domain (SubgraphModule.accounts): the account, the
// ADMIN_API_KEY key, the admin identity and the demo key are written here, by their owner.
import type { AccountBootstrap } from '../../../platform/src/SubgraphModule.js';
import { createApiKey, ensureAccount, ensureConfiguredKey } from './store.js';
import { ensureAdminIdentity } from './identities.js';

export const accountBootstrap: AccountBootstrap = {
  async ensureAccount(db, options) {
    const account = await ensureAccount(db, options.accountName, 'enterprise');
    if (options.adminApiKey) {
      await ensureConfiguredKey(db, { accountId: account._id, type: 'live', plan: 'enterprise', secret: options.adminApiKey });
    }
    if (options.adminIdentity) {
      // A weak ADMIN_PASSWORD stops start-up with the reason (INVALID_REQUEST from the strength check).
      try {
        await ensureAdminIdentity(db, account._id, options.adminIdentity.email, options.adminIdentity.password);
      } catch (error) {
        throw new Error(`ADMIN_PASSWORD / ADMIN_EMAIL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    return { accountId: account._id };
  },
  async createDemoKey(db, accountId) {
    const { secret } = await createApiKey(db, { accountId, type: 'live', plan: 'enterprise' });
    return secret;
  },
};
