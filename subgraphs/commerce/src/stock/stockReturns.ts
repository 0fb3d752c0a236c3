// Giving a cancelled order's stock back without a transaction around the hot products: the
// cancellation's transaction writes a return document (recordStockReturn); applyStockReturn then
// adds each item with one atomic update that also leaves the return's id in the product, so a
// second pass (after a crash at any step) never adds an item twice:
//   1. per item: `$inc` + `$push returns` where the id is not there yet;
//   2. `appliedAt` on the return document;   3. `$pull` the ids;   4. delete the return document.
// Only the holder of the return's lease applies it (the cancelling request first, a sweeper once
// the lease has run out), so two appliers never interleave steps 1 and 3.
import type { ClientSession, Db } from 'mongodb';
import type { OrderDocument } from '../models.js';
import { RETURN_LEASE_MS, stockReturns, stockedProducts, type StockReturnDocument } from './stockCollections.js';

/** Inside the cancellation's transaction; the caller holds the lease and applies it after commit. */
export async function recordStockReturn(db: Db, session: ClientSession, order: OrderDocument, now = new Date()): Promise<StockReturnDocument> {
  const doc: StockReturnDocument = {
    _id: order._id,
    accountId: order.accountId,
    mode: order.mode,
    items: order.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    createdAt: now,
    appliedAt: null,
    leaseUntil: new Date(now.getTime() + RETURN_LEASE_MS),
  };
  await stockReturns(db).insertOne(doc, { session });
  return doc;
}

/** Adds the items back (each once) and removes the return; the caller must hold its lease. */
export async function applyStockReturn(db: Db, ret: StockReturnDocument, now = new Date()): Promise<void> {
  if (!ret.appliedAt) {
    for (const item of ret.items) {
      await stockedProducts(db).updateOne(
        { _id: item.productId, returns: { $ne: ret._id } },
        { $inc: { stock: item.quantity }, $push: { returns: ret._id }, $set: { updatedAt: now } },
      );
    }
    await stockReturns(db).updateOne({ _id: ret._id }, { $set: { appliedAt: now } });
  }
  for (const item of ret.items) await stockedProducts(db).updateOne({ _id: item.productId }, { $pull: { returns: ret._id } });
  await stockReturns(db).deleteOne({ _id: ret._id });
}

/** Takes over a return whose lease ran out (its process died); null if someone else holds it. */
export async function claimStockReturn(db: Db, id: string, now = new Date()): Promise<StockReturnDocument | null> {
  return stockReturns(db).findOneAndUpdate(
    { _id: id, leaseUntil: { $lt: now } },
    { $set: { leaseUntil: new Date(now.getTime() + RETURN_LEASE_MS) } },
    { returnDocument: 'after' },
  );
}
