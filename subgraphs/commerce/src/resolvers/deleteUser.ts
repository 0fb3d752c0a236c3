// DELETE /v2/users/{id}: soft delete. The user disappears from every read at once, the email is
// free again, and the TTL index removes the document 30 days later.
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import type { MutationDeleteUserArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../mutationHelpers.js';
import { userJson } from '../apiJson.js';
import type { Context } from '../context.js';
import { tenant, USER_RETENTION_DAYS, users } from '../store.js';

const DAY_MS = 86_400_000;

export async function deleteUser(ctx: Context, { id }: MutationDeleteUserArgs): Promise<{ id: string; deleted: boolean }> {
  requireWrite(ctx);
  const now = new Date();
  return inTransaction(ctx, async (session) => {
    const user = await users(ctx.db).findOneAndUpdate(
      { _id: id, ...tenant(ctx.principal), deletedAt: null },
      { $set: { deletedAt: now, purgeAt: new Date(now.getTime() + USER_RETENTION_DAYS * DAY_MS), emailKey: `deleted:${id}`, updatedAt: now } },
      { session, returnDocument: 'before' },
    );
    if (!user) throw notFound('User', id, 'user_id');
    await appendEvent(ctx.db, session, { type: 'user.deleted', ...tenant(ctx.principal), data: { ...userJson(user), deleted_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } });
    return { id, deleted: true };
  });
}
