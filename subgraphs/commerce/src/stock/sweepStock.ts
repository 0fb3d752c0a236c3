// Finishes what a crashed process left half done in the stock protocol, so no unit is lost or
// leaked: holds older than HOLD_TIMEOUT_MS are settled by their outcome (released unless the order
// was confirmed), returns whose lease ran out are applied, and product events not copied to the
// outbox are copied. Every step is idempotent, so any number of sweepers may run at once.
import type { Db } from 'mongodb';
import { decideHold } from './stockHolds.js';
import { applyStockReturn, claimStockReturn } from './stockReturns.js';
import { HOLD_TIMEOUT_MS, OUTBOX_RELAY_AFTER_MS, stockReturns, stockedProducts } from './stockCollections.js';
import { relayProductEvent } from './productOutbox.js';

export interface SweepReport {
  released: number;
  cleared: number;
  returned: number;
  relayed: number;
}

export async function sweepStock(db: Db, now = new Date()): Promise<SweepReport> {
  const report: SweepReport = { released: 0, cleared: 0, returned: 0, relayed: 0 };
  const holdCutoff = new Date(now.getTime() - HOLD_TIMEOUT_MS);
  const stale = stockedProducts(db).find({ 'holds.at': { $lt: holdCutoff } }, { projection: { holds: 1 } });
  for await (const product of stale) {
    for (const hold of product.holds ?? []) {
      if (hold.at >= holdCutoff) continue;
      const outcome = await decideHold(db, hold.order, 'released', now);
      const give = outcome === 'released' ? { $inc: { stock: hold.quantity }, $set: { updatedAt: now } } : {};
      const result = await stockedProducts(db).updateOne({ _id: product._id, 'holds.order': hold.order }, { ...give, $pull: { holds: { order: hold.order } } });
      if (result.modifiedCount > 0) report[outcome === 'released' ? 'released' : 'cleared'] += 1;
    }
  }

  for await (const { _id } of stockReturns(db).find({ leaseUntil: { $lt: now } }, { projection: { _id: 1 } })) {
    const ret = await claimStockReturn(db, _id, now);
    if (!ret) continue;
    await applyStockReturn(db, ret, now);
    report.returned += 1;
  }

  const relayCutoff = new Date(now.getTime() - OUTBOX_RELAY_AFTER_MS);
  for await (const product of stockedProducts(db).find({ 'outbox.at': { $lt: relayCutoff } })) {
    for (const pending of product.outbox ?? []) {
      if (pending.at >= relayCutoff) continue;
      await relayProductEvent(db, product, pending);
      report.relayed += 1;
    }
  }
  return report;
}

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Db, { at: number; running: boolean }>();

/**
 * Starts a sweep in the background if this process has not run one for a minute. Called by the
 * stock mutations, so a commerce process that serves traffic keeps the protocol tidy without a
 * timer of its own; a failed sweep is simply tried again by a later call.
 */
export function sweepStockSoon(db: Db, now = Date.now()): void {
  const state = lastSweep.get(db) ?? { at: 0, running: false };
  if (state.running || now - state.at < SWEEP_EVERY_MS) return;
  state.running = true;
  state.at = now;
  lastSweep.set(db, state);
  sweepStock(db)
    .catch(() => undefined)
    .finally(() => (state.running = false));
}
