// The commerce subgraph's collections and their indexes. It is the sole owner of these collections.
import type { Collection, Db } from 'mongodb';
import type { OrderDocument, ProductDocument, UserDocument } from './models.js';
import type { Principal } from '../../../platform/src/principal.js';

export const USERS = 'commerce_users';
export const PRODUCTS = 'commerce_products';
export const ORDERS = 'commerce_orders';

/** Soft-deleted users are kept this long, then the TTL index removes them. */
export const USER_RETENTION_DAYS = 30;

export function users(db: Db): Collection<UserDocument> {
  return db.collection<UserDocument>(USERS);
}

export function products(db: Db): Collection<ProductDocument> {
  return db.collection<ProductDocument>(PRODUCTS);
}

export function orders(db: Db): Collection<OrderDocument> {
  return db.collection<OrderDocument>(ORDERS);
}

/** The filter every read and write starts from: the caller's account and mode, nothing else. */
export function tenant(principal: Principal): { accountId: string; mode: Principal['mode'] } {
  return { accountId: principal.accountId, mode: principal.mode };
}

export async function ensureIndexes(db: Db): Promise<void> {
  await users(db).createIndexes([
    // emailKey is the lower-cased email while the user exists and `deleted:<id>` after a soft
    // delete (see models.ts), so one plain unique index enforces "unique among non-deleted users".
    { key: { accountId: 1, mode: 1, emailKey: 1 }, name: 'email_unique_per_account', unique: true },
    { key: { accountId: 1, mode: 1, createdAt: -1 }, name: 'list_by_created' },
    // purgeAt = deletedAt + 30 days; expireAfterSeconds 0 removes the document at that instant.
    { key: { purgeAt: 1 }, name: 'purge_soft_deleted', expireAfterSeconds: 0 },
  ]);
  await products(db).createIndexes([
    { key: { accountId: 1, mode: 1, sku: 1 }, name: 'sku_unique_per_account', unique: true },
    { key: { accountId: 1, mode: 1, category: 1, price: 1 }, name: 'list_by_category_price' },
  ]);
  await orders(db).createIndexes([
    { key: { accountId: 1, mode: 1, userId: 1, createdAt: -1 }, name: 'list_by_user' },
    { key: { accountId: 1, mode: 1, createdAt: -1 }, name: 'list_by_created' },
  ]);
}
