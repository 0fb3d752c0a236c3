// Order listing (GET /v2/orders?user_id=, User.orders), newest first, scoped to the caller.
import type { Filter } from 'mongodb';
import type { Context } from '../context.js';
import type { OrderDocument, OrderStatus } from '../models.js';
import { paginate, type Page } from '../paginate.js';
import { orders, tenant } from '../store.js';
import { validatePagination } from '../validation.js';

export interface ListOrdersArgs {
  userId?: string | null;
  status?: OrderStatus | null;
  page?: number | null;
  limit?: number | null;
}

export function listOrders(ctx: Context, args: ListOrdersArgs): Promise<Page<OrderDocument>> {
  const { page, limit } = validatePagination(args.page, args.limit);
  const filter: Filter<OrderDocument> = { ...tenant(ctx.principal) };
  if (args.userId != null) filter.userId = args.userId;
  if (args.status != null) filter.status = args.status;
  return paginate(orders(ctx.db), filter, { createdAt: -1, _id: -1 }, page, limit);
}
