// GET /v2/users: page, limit (≤ 100), status filter, sort field and direction; deleted users never show.
import type { Filter } from 'mongodb';
import type { QueryUsersArgs } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { UserDocument } from '../models.js';
import { paginate, type Page } from '../paginate.js';
import { tenant, users } from '../store.js';
import { validatePagination } from '../validation.js';

const SORT_FIELDS = { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name', email: 'emailKey', status: 'status', plan: 'plan' } as const;

export function listUsers(ctx: Context, args: QueryUsersArgs): Promise<Page<UserDocument>> {
  const { page, limit } = validatePagination(args.page, args.limit);
  const filter: Filter<UserDocument> = { ...tenant(ctx.principal), deletedAt: null };
  if (args.status != null) filter.status = args.status;
  const field = SORT_FIELDS[args.sort ?? 'created_at'];
  const direction = args.order === 'asc' ? 1 : -1;
  // _id breaks ties so pages never repeat or skip a user.
  return paginate(users(ctx.db), filter, { [field]: direction, _id: direction }, page, limit);
}
