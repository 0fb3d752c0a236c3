// POST /v2/orders/{id}/cancel: only from pending or confirmed (else 422 ORDER_NOT_CANCELLABLE);
// the reserved stock goes back to the products in the same transaction.
import { JunctionError } from '../../../../platform/src/errors.js';
import type { MutationCancelOrderArgs } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { OrderDocument } from '../models.js';
import { products, tenant } from '../store.js';
import { changeOrderStatus } from './changeOrderStatus.js';

export function cancelOrder(ctx: Context, { id, reason }: MutationCancelOrderArgs): Promise<OrderDocument> {
  if (reason != null && reason.length > 200) throw new JunctionError('INVALID_REQUEST', 'reason must be at most 200 characters', { param: 'reason' });
  return changeOrderStatus(ctx, id, 'cancelled', {
    set: { cancellationReason: reason ?? null },
    also: async (order, session) => {
      for (const item of order.items) {
        await products(ctx.db).updateOne({ _id: item.productId, ...tenant(ctx.principal) }, { $inc: { stock: item.quantity } }, { session });
      }
    },
  });
}
