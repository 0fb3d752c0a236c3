// User.orders for many users at once: one aggregate per distinct (page, limit, status) asked for
// in a tick, instead of one query per user, so `users { orders { … } }` stays one round trip.
import DataLoader from 'dataloader';
import type { Db, Document } from 'mongodb';
import type { Principal } from '../../../platform/src/principal.js';
import type { OrderDocument, OrderStatus } from './models.js';
import type { Page } from './paginate.js';
import { orders, tenant } from './store.js';

export interface UserOrdersKey {
  userId: string;
  page: number;
  limit: number;
  status: OrderStatus | null;
}

export type OrdersByUserLoader = DataLoader<UserOrdersKey, Page<OrderDocument>, string>;

export function createOrdersByUserLoader(db: Db, principal: Principal): OrdersByUserLoader {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, UserOrdersKey[]>();
      for (const key of keys) {
        const shape = `${key.page}|${key.limit}|${key.status ?? ''}`;
        groups.set(shape, [...(groups.get(shape) ?? []), key]);
      }
      const results = new Map<string, Page<OrderDocument>>();
      for (const group of groups.values()) {
        const { page, limit, status } = group[0]!;
        const match: Document = { ...tenant(principal), userId: { $in: group.map((k) => k.userId) } };
        if (status) match.status = status;
        const rows = await orders(db)
          .aggregate<{ _id: string; total: number; orders: OrderDocument[] }>([
            { $match: match },
            { $sort: { createdAt: -1, _id: -1 } },
            { $group: { _id: '$userId', total: { $sum: 1 }, orders: { $push: '$$ROOT' } } },
            { $project: { total: 1, orders: { $slice: ['$orders', (page - 1) * limit, limit] } } },
          ])
          .toArray();
        const byUser = new Map(rows.map((r) => [r._id, r]));
        for (const key of group) {
          const row = byUser.get(key.userId);
          const total = row?.total ?? 0;
          results.set(cacheKey(key), { data: row?.orders ?? [], pagination: { page, limit, total, pages: Math.ceil(total / limit) } });
        }
      }
      return keys.map((k) => results.get(cacheKey(k))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

function cacheKey(key: UserOrdersKey): string {
  return `${key.userId}|${key.page}|${key.limit}|${key.status ?? ''}`;
}
