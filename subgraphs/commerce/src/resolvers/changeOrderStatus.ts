// The one place an order's status changes (fulfilment mutations and cancel): checks the status
// table, updates only if nobody changed the status meanwhile, and writes order.status_changed
// (plus order.shipped with the tracking number) in the same transaction. Only the order (one
// document per order, rarely contended) and new documents are written in it: never a product.
import type { ClientSession } from 'mongodb';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import { inTransaction, notFound, requireWrite } from '../mutationHelpers.js';
import { orderJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { OrderDocument, OrderStatus } from '../models.js';
import { assertTransition } from '../orderStatus.js';
import { orders, tenant } from '../store.js';

export interface StatusChangeOptions {
  /** Extra fields stored with the change (tracking number, cancellation reason). */
  set?: Partial<Pick<OrderDocument, 'trackingNumber' | 'cancellationReason'>>;
  /** Runs inside the transaction after the status changed (e.g. recording a stock return); must not write hot documents. */
  also?: (order: OrderDocument, session: ClientSession) => Promise<void>;
}

export async function changeOrderStatus(ctx: Context, id: string, to: OrderStatus, options: StatusChangeOptions = {}): Promise<OrderDocument> {
  requireWrite(ctx);
  const scope = tenant(ctx.principal);
  return inTransaction(ctx, async (session) => {
    const current = await orders(ctx.db).findOne({ _id: id, ...scope }, { session });
    if (!current) throw notFound('Order', id, 'order_id');
    assertTransition(id, current.status, to);
    const now = new Date();
    const updated = await orders(ctx.db).findOneAndUpdate(
      // Guarded by the status read above: a concurrent change makes this match nothing (or conflict).
      { _id: id, ...scope, status: current.status },
      { $set: { status: to, updatedAt: now, ...options.set }, $push: { statusHistory: { from: current.status, to, at: now } } },
      { session, returnDocument: 'after' },
    );
    if (!updated) throw notFound('Order', id, 'order_id');
    await options.also?.(updated, session);
    const data = orderJson(updated);
    await appendEvent(ctx.db, session, { type: 'order.status_changed', ...scope, data: { ...data, previous_status: current.status } });
    if (to === 'shipped') await appendEvent(ctx.db, session, { type: 'order.shipped', ...scope, data });
    return updated;
  });
}
