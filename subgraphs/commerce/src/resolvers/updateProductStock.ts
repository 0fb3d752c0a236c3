// POST /v2/products/{id}/stock: add, subtract (never below 0: 422 INSUFFICIENT_STOCK) or set.
// One atomic update of the product, with no transaction around it (the product may be hot): the
// check (`stock >= quantity` for subtract) and the change are one conditional pipeline update,
// which also writes `product.out_of_stock` into the product's own outbox when the stock goes from
// above 0 to 0. The event is then copied to the events outbox (productOutbox.ts); if this process
// dies first, the sweeper copies it, once.
import type { Document, Filter } from 'mongodb';
import { JunctionError } from '../../../../platform/src/errors.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationUpdateProductStockArgs } from '../__generated__/resolvers-types.js';
import { notFound, requireWrite } from '../mutationHelpers.js';
import type { Context } from '../context.js';
import type { ProductDocument } from '../models.js';
import { relayProductEvent } from '../stock/productOutbox.js';
import { stockedProducts, withoutMarkers, type PendingProductEvent, type StockedProduct } from '../stock/stockCollections.js';
import { sweepStockSoon } from '../stock/sweepStock.js';
import { tenant } from '../store.js';
import { validateStockInput } from '../validation.js';

export async function updateProductStock(ctx: Context, { id, input }: MutationUpdateProductStockArgs): Promise<ProductDocument> {
  requireWrite(ctx);
  const { operation, quantity } = validateStockInput(input);
  sweepStockSoon(ctx.db);
  const scope = { _id: id, ...tenant(ctx.principal) };
  const now = new Date();
  const pending: PendingProductEvent = { id: newId('evt', 24), type: 'product.out_of_stock', at: now };
  const filter: Filter<StockedProduct> = operation === 'subtract' ? { ...scope, stock: { $gte: quantity } } : { ...scope };
  // In one $set stage every expression sees the document before the update.
  const next = operation === 'set' ? { $literal: quantity } : { [operation === 'add' ? '$add' : '$subtract']: ['$stock', quantity] };
  const outbox = { $ifNull: ['$outbox', []] };
  const update: Document[] = [
    {
      $set: {
        stock: next,
        updatedAt: { $literal: now },
        outbox: { $cond: [{ $and: [{ $gt: ['$stock', 0] }, { $eq: [next, 0] }] }, { $concatArrays: [outbox, [{ $literal: pending }]] }, outbox] },
      },
    },
  ];
  const after = await stockedProducts(ctx.db).findOneAndUpdate(filter, update, { returnDocument: 'after' });
  if (!after) {
    const exists = await stockedProducts(ctx.db).findOne(scope, { projection: { stock: 1 } });
    if (!exists) throw notFound('Product', id, 'product_id');
    throw new JunctionError('INSUFFICIENT_STOCK', `Cannot subtract ${quantity}: only ${exists.stock} in stock`, {
      param: 'quantity',
      details: { available: exists.stock, requested: quantity },
    });
  }
  const product = withoutMarkers(after);
  // A failed copy is not a failed change: the event is in the product, and the sweeper copies it.
  if (after.outbox?.some((e) => e.id === pending.id)) await relayProductEvent(ctx.db, product, pending).catch(() => undefined);
  return product;
}
