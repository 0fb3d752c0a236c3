// POST /v2/orders/{id}/cancel: only from pending or confirmed (else 422 ORDER_NOT_CANCELLABLE).
// The stock goes back without putting the (possibly hot) products in the transaction: the
// cancellation commits with a return document, then each item is added back by one atomic update
// (stockReturns.ts). If this process dies before that, the sweeper applies the return later.
import { JunctionError } from '../../../../platform/src/errors.js';
import type { MutationCancelOrderArgs } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { OrderDocument } from '../models.js';
import type { StockReturnDocument } from '../stock/stockCollections.js';
import { applyStockReturn, recordStockReturn } from '../stock/stockReturns.js';
import { sweepStockSoon } from '../stock/sweepStock.js';
import { changeOrderStatus } from './changeOrderStatus.js';

export async function cancelOrder(ctx: Context, { id, reason }: MutationCancelOrderArgs): Promise<OrderDocument> {
  if (reason != null && reason.length > 200) throw new JunctionError('INVALID_REQUEST', 'reason must be at most 200 characters', { param: 'reason' });
  sweepStockSoon(ctx.db);
  let ret: StockReturnDocument | undefined;
  const order = await changeOrderStatus(ctx, id, 'cancelled', {
    set: { cancellationReason: reason ?? null },
    also: async (cancelled, session) => {
      ret = await recordStockReturn(ctx.db, session, cancelled);
    },
  });
  // The cancellation stands either way; a failure here leaves the return to the sweeper.
  if (ret) await applyStockReturn(ctx.db, ret).catch(() => undefined);
  return order;
}
