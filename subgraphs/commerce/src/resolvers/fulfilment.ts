// Fulfilment transitions of the order status table (GraphQL only; REST documents just cancel).
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../mutationHelpers.js';
import { orderJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { OrderDocument } from '../models.js';
import { orders, tenant } from '../store.js';
import { changeOrderStatus } from './changeOrderStatus.js';

/** A failed payment attempt leaves the order pending (the customer may retry) and emits payment.failed. */
async function failPayment(ctx: Context, id: string, reason: string | null | undefined): Promise<OrderDocument> {
  requireWrite(ctx);
  if (reason != null && reason.length > 200) throw new JunctionError('INVALID_REQUEST', 'reason must be at most 200 characters', { param: 'reason' });
  return inTransaction(ctx, async (session) => {
    const order = await orders(ctx.db).findOne({ _id: id, ...tenant(ctx.principal) }, { session });
    if (!order) throw notFound('Order', id, 'order_id');
    if (order.status !== 'pending') {
      throw new JunctionError('INVALID_STATUS_TRANSITION', `Order ${id} is ${order.status}; only a pending order can fail payment`, { param: 'order_id' });
    }
    await appendEvent(ctx.db, session, { type: 'payment.failed', ...tenant(ctx.principal), data: { ...orderJson(order), failure_reason: reason ?? null } });
    return order;
  });
}

export const fulfilment: Pick<MutationResolvers, 'confirmPayment' | 'failPayment' | 'startProcessing' | 'shipOrder' | 'deliverOrder'> = {
  confirmPayment: (_p, { id }, ctx) => changeOrderStatus(ctx, id, 'confirmed'),
  failPayment: (_p, { id, reason }, ctx) => failPayment(ctx, id, reason),
  startProcessing: (_p, { id }, ctx) => changeOrderStatus(ctx, id, 'processing'),
  shipOrder: (_p, { id, trackingNumber }, ctx) => {
    if (trackingNumber.trim() === '' || trackingNumber.length > 100) {
      throw new JunctionError('INVALID_REQUEST', 'trackingNumber must be 1–100 characters', { param: 'tracking_number' });
    }
    return changeOrderStatus(ctx, id, 'shipped', { set: { trackingNumber: trackingNumber.trim() } });
  },
  deliverOrder: (_p, { id }, ctx) => changeOrderStatus(ctx, id, 'delivered'),
};
