// Holding stock for an order without a transaction around the hot product:
//   1. holdStock: per product (in id order), one atomic conditional update takes the units
//      (`stock >= quantity`) and records a hold {order, quantity, at} in the same write;
//   2. the order's transaction (no product in it) inserts the order, its events and the outcome
//      `confirmed` (confirmHold);
//   3. clearHolds removes the markers. If step 2 fails, releaseHolds inserts `released` and gives
//      the units back, each at most once (the update matches only while the marker is there).
// The outcome document is the single point of decision: a sweeper releasing a forgotten hold and
// a late transaction confirming it race on one `_id`, and exactly one wins.
import type { ClientSession, Db } from 'mongodb';
import type { ProductDocument, Tenanted } from '../models.js';
import { isDuplicateKey } from '../resolvers/duplicateKey.js';
import { WITHOUT_MARKERS, holdOutcomes, outcomeDocument, stockedProducts, type HoldOutcomeDocument } from './stockCollections.js';

export interface HoldRequest {
  productId: string;
  quantity: number;
  /** Position in the request, for the error's `param`. */
  index: number;
}

export interface Held {
  request: HoldRequest;
  /** The product right after its units were taken (markers left out). */
  product: ProductDocument;
}

export type HoldResult = { ok: true; held: Held[] } | { ok: false; failed: HoldRequest; held: [] };

/**
 * Takes every item's units or none: on the first item that lacks stock (or is gone or inactive)
 * the units already taken go back and `failed` names that item.
 */
export async function holdStock(db: Db, scope: Tenanted, orderId: string, requests: HoldRequest[], now = new Date()): Promise<HoldResult> {
  // One order at a time holds one product at a time, always in the same order, so two multi-item
  // orders never each hold what the other waits for (no locks are kept, but keep it that simple).
  const sorted = [...requests].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  const held: Held[] = [];
  for (const request of sorted) {
    const product = await stockedProducts(db).findOneAndUpdate(
      { _id: request.productId, ...scope, status: 'active', stock: { $gte: request.quantity } },
      { $inc: { stock: -request.quantity }, $set: { updatedAt: now }, $push: { holds: { order: orderId, quantity: request.quantity, at: now } } },
      { returnDocument: 'after', projection: WITHOUT_MARKERS },
    );
    if (!product) {
      await releaseHolds(db, orderId, held.map((h) => h.request));
      return { ok: false, failed: request, held: [] };
    }
    held.push({ request, product });
  }
  // Back in the request's order, so items keep the order the client gave.
  held.sort((a, b) => a.request.index - b.request.index);
  return { ok: true, held };
}

/** Inside the order's transaction: claims the decision. A duplicate key means the holds were released. */
export async function confirmHold(db: Db, session: ClientSession, orderId: string, now = new Date()): Promise<void> {
  await holdOutcomes(db).insertOne(outcomeDocument(orderId, 'confirmed', now), { session });
}

/** Records `outcome` for the order unless another was recorded first; returns the one that stands. */
export async function decideHold(db: Db, orderId: string, outcome: HoldOutcomeDocument['outcome'], now = new Date()): Promise<HoldOutcomeDocument['outcome']> {
  for (let attempt = 0; ; attempt++) {
    try {
      await holdOutcomes(db).insertOne(outcomeDocument(orderId, outcome, now));
      return outcome;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await holdOutcomes(db).findOne({ _id: orderId });
      if (existing) return existing.outcome;
      // Purged between the insert and the read (a week-old decision): decide again.
      if (attempt >= 2) throw error;
    }
  }
}

/** Gives back the order's units unless the order was confirmed; safe to call any number of times. */
export async function releaseHolds(db: Db, orderId: string, items: { productId: string; quantity: number }[], now = new Date()): Promise<void> {
  if (items.length === 0) return;
  const outcome = await decideHold(db, orderId, 'released', now);
  if (outcome === 'confirmed') return clearHolds(db, orderId, items.map((i) => i.productId));
  for (const item of items) {
    // Matches only while this order's marker is there: the units go back exactly once.
    await stockedProducts(db).updateOne(
      { _id: item.productId, 'holds.order': orderId },
      { $inc: { stock: item.quantity }, $pull: { holds: { order: orderId } }, $set: { updatedAt: now } },
    );
  }
}

/** Removes a confirmed order's markers (its units stay sold). */
export async function clearHolds(db: Db, orderId: string, productIds: string[]): Promise<void> {
  for (const productId of productIds) {
    await stockedProducts(db).updateOne({ _id: productId, 'holds.order': orderId }, { $pull: { holds: { order: orderId } } });
  }
}
