// Per-request DataLoaders keyed by id and scoped to the caller's account and mode: every id a
// request asks for in one tick costs one `find` per collection, and an id of another account (or
// a soft-deleted user) simply resolves to null.
import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import type { Principal } from '../../../platform/src/principal.js';
import type { OrderDocument, ProductDocument, UserDocument } from './models.js';
import { createOrdersByUserLoader, type OrdersByUserLoader } from './ordersByUserLoader.js';
import { orders, products, tenant, users } from './store.js';

export interface Loaders {
  user: DataLoader<string, UserDocument | null>;
  product: DataLoader<string, ProductDocument | null>;
  order: DataLoader<string, OrderDocument | null>;
  ordersByUser: OrdersByUserLoader;
}

function byId<T extends { _id: string }>(ids: readonly string[], docs: T[]): (T | null)[] {
  const map = new Map(docs.map((d) => [d._id, d]));
  return ids.map((id) => map.get(id) ?? null);
}

export function createLoaders(db: Db, principal: Principal): Loaders {
  const scope = tenant(principal);
  return {
    user: new DataLoader(async (ids) => byId(ids, await users(db).find({ _id: { $in: [...ids] }, ...scope, deletedAt: null }).toArray())),
    product: new DataLoader(async (ids) => byId(ids, await products(db).find({ _id: { $in: [...ids] }, ...scope }).toArray())),
    order: new DataLoader(async (ids) => byId(ids, await orders(db).find({ _id: { $in: [...ids] }, ...scope }).toArray())),
    ordersByUser: createOrdersByUserLoader(db, principal),
  };
}
