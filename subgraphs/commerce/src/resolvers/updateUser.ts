// PATCH /v2/users/{id}: only the given fields change; the email never does.
import type { UpdateFilter } from 'mongodb';
import { JunctionError } from '../../../../platform/src/errors.js';
import type { MutationUpdateUserArgs } from '../__generated__/resolvers-types.js';
import { notFound, requireWrite } from '../mutationHelpers.js';
import type { Context } from '../context.js';
import type { UserDocument } from '../models.js';
import { tenant, users } from '../store.js';
import { validateMetadata, validateName, validatePlan, validateUserStatus } from '../validation.js';

export async function updateUser(ctx: Context, { id, input }: MutationUpdateUserArgs): Promise<UserDocument> {
  requireWrite(ctx);
  if (input.email != null) {
    throw new JunctionError('INVALID_REQUEST', 'email cannot be updated; create a new user instead', { param: 'email' });
  }
  const set: Partial<UserDocument> = {};
  if (input.name != null) set.name = validateName(input.name);
  const status = validateUserStatus(input.status);
  if (status) set.status = status;
  const plan = validatePlan(input.plan);
  if (plan) set.plan = plan;
  const metadata = validateMetadata(input.metadata);
  if (metadata) set.metadata = metadata;
  const now = new Date();
  const update: UpdateFilter<UserDocument> = { $set: { ...set, updatedAt: now } };
  const user = await users(ctx.db).findOneAndUpdate({ _id: id, ...tenant(ctx.principal), deletedAt: null }, update, { returnDocument: 'after' });
  if (!user) throw notFound('User', id, 'user_id');
  return user;
}
