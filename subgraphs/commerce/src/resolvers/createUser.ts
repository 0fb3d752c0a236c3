// POST /v2/users: validate, insert, and write user.created in the same transaction.
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationCreateUserArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, requireWrite } from '../mutationHelpers.js';
import { userJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { UserDocument } from '../models.js';
import { tenant, users } from '../store.js';
import { emailKey, validateEmail, validateMetadata, validateName, validatePlan, validateUserStatus } from '../validation.js';
import { isDuplicateKey } from './duplicateKey.js';

function conflict(email: string): JunctionError {
  return new JunctionError('CONFLICT', `A user with email ${email} already exists`, { param: 'email' });
}

export async function createUser(ctx: Context, { input }: MutationCreateUserArgs): Promise<UserDocument> {
  requireWrite(ctx);
  const email = validateEmail(input.email);
  const name = validateName(input.name);
  const now = new Date();
  const user: UserDocument = {
    _id: newId('usr'),
    ...tenant(ctx.principal),
    email,
    emailKey: emailKey(email),
    name,
    // New users are active unless the caller says otherwise (the seed leaves this open).
    status: validateUserStatus(input.status) ?? 'active',
    plan: validatePlan(input.plan) ?? 'free',
    metadata: validateMetadata(input.metadata) ?? {},
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  try {
    return await inTransaction(ctx, async (session) => {
      const existing = await users(ctx.db).findOne({ ...tenant(ctx.principal), emailKey: user.emailKey }, { session, projection: { _id: 1 } });
      if (existing) throw conflict(email);
      await users(ctx.db).insertOne(user, { session });
      await appendEvent(ctx.db, session, { type: 'user.created', ...tenant(ctx.principal), data: userJson(user) });
      return user;
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(email);
    throw error;
  }
}
