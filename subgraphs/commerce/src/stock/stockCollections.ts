// What the stock reservation protocol stores. Stock only ever changes by single-document atomic
// updates of the product (never inside a multi-document transaction, where a hot product would
// turn a rush into write-conflict retries); each such update leaves a marker in the product that
// says which follow-up is still to be settled, so a crash between two steps loses nothing:
// - `holds`: units taken by an order that is not settled yet (the order commits, or they go back);
// - `returns`: ids of stock returns (cancellations) already added to this product;
// - `outbox`: a `product.out_of_stock` event written with the change, not yet copied to the outbox.
// The sweeper (sweepStock.ts) finishes whatever a crashed process left half done.
import type { Collection, Db } from 'mongodb';
import type { ProductDocument, Tenanted } from '../models.js';
import { PRODUCTS } from '../store.js';

export interface StockHold {
  /** The order (id chosen before its document exists) the units are held for. */
  order: string;
  quantity: number;
  at: Date;
}

export interface PendingProductEvent {
  id: string;
  type: 'product.out_of_stock';
  at: Date;
}

export type StockedProduct = ProductDocument & { holds?: StockHold[]; returns?: string[]; outbox?: PendingProductEvent[] };

/**
 * Who settled an order's holds: the order's transaction inserts `confirmed`, a release inserts
 * `released`. `_id` is the order id, so exactly one of them wins (the other gets a duplicate key).
 */
export interface HoldOutcomeDocument {
  _id: string;
  outcome: 'confirmed' | 'released';
  at: Date;
  /** TTL: long after any hold of this order could still exist. */
  purgeAt: Date;
}

/** Stock a cancelled order gives back, written in the cancellation's transaction. `_id` = order id. */
export interface StockReturnDocument extends Tenanted {
  _id: string;
  items: { productId: string; quantity: number }[];
  createdAt: Date;
  /** Set once every item was added back (the product markers are then removed). */
  appliedAt: Date | null;
  /** Whoever applies the return holds it until then; a sweeper takes it over only after. */
  leaseUntil: Date;
}

export const HOLD_OUTCOMES = 'commerce_hold_outcomes';
export const STOCK_RETURNS = 'commerce_stock_returns';

/** A hold older than this belongs to a request that died (requests end long before: gateway timeout 30 s). */
export const HOLD_TIMEOUT_MS = 10 * 60_000;
/** How long the process that cancelled an order owns the return of its stock. */
export const RETURN_LEASE_MS = 10 * 60_000;
/** A product event not copied to the outbox after this was left by a crashed request. */
export const OUTBOX_RELAY_AFTER_MS = 60_000;
const OUTCOME_RETENTION_MS = 7 * 86_400_000;

export function stockedProducts(db: Db): Collection<StockedProduct> {
  return db.collection<StockedProduct>(PRODUCTS);
}

export function holdOutcomes(db: Db): Collection<HoldOutcomeDocument> {
  return db.collection<HoldOutcomeDocument>(HOLD_OUTCOMES);
}

export function stockReturns(db: Db): Collection<StockReturnDocument> {
  return db.collection<StockReturnDocument>(STOCK_RETURNS);
}

export function outcomeDocument(orderId: string, outcome: HoldOutcomeDocument['outcome'], at: Date): HoldOutcomeDocument {
  return { _id: orderId, outcome, at, purgeAt: new Date(at.getTime() + OUTCOME_RETENTION_MS) };
}

/** Product fields of the protocol, left out of what resolvers read back. */
export const WITHOUT_MARKERS = { holds: 0, returns: 0, outbox: 0 } as const;

export function withoutMarkers(product: StockedProduct): ProductDocument {
  const { holds: _holds, returns: _returns, outbox: _outbox, ...rest } = product;
  return rest;
}

export async function ensureStockIndexes(db: Db): Promise<void> {
  // The sweeper's queries: stale holds and unrelayed events (multikey; empty on a quiet product).
  await stockedProducts(db).createIndexes([
    { key: { 'holds.at': 1 }, name: 'stale_holds' },
    { key: { 'outbox.at': 1 }, name: 'unrelayed_events' },
  ]);
  await holdOutcomes(db).createIndex({ purgeAt: 1 }, { name: 'purge_outcomes', expireAfterSeconds: 0 });
  await stockReturns(db).createIndex({ leaseUntil: 1 }, { name: 'unfinished_returns' });
}
