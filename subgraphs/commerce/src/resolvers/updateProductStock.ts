// POST /v2/products/{id}/stock: add, subtract (never below 0: 422 INSUFFICIENT_STOCK) or set.
// The check and the change are one conditional update, so concurrent calls cannot oversell; when
// the stock reaches 0, product.out_of_stock is written in the same transaction.
import type { Filter, UpdateFilter } from 'mongodb';
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import type { MutationUpdateProductStockArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../access.js';
import { productJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { ProductDocument } from '../models.js';
import { products, tenant } from '../store.js';
import { validateStockInput } from '../validation.js';

export async function updateProductStock(ctx: Context, { id, input }: MutationUpdateProductStockArgs): Promise<ProductDocument> {
  requireWrite(ctx);
  const { operation, quantity } = validateStockInput(input);
  const scope = { _id: id, ...tenant(ctx.principal) };
  return inTransaction(ctx, async (session) => {
    const now = new Date();
    const filter: Filter<ProductDocument> = operation === 'subtract' ? { ...scope, stock: { $gte: quantity } } : { ...scope };
    const update: UpdateFilter<ProductDocument> =
      operation === 'set' ? { $set: { stock: quantity, updatedAt: now } } : { $inc: { stock: operation === 'add' ? quantity : -quantity }, $set: { updatedAt: now } };
    const before = await products(ctx.db).findOneAndUpdate(filter, update, { session, returnDocument: 'before' });
    if (!before) {
      const exists = await products(ctx.db).findOne(scope, { session, projection: { stock: 1 } });
      if (!exists) throw notFound('Product', id, 'product_id');
      throw new JunctionError('INSUFFICIENT_STOCK', `Cannot subtract ${quantity}: only ${exists.stock} in stock`, {
        param: 'quantity',
        details: { available: exists.stock, requested: quantity },
      });
    }
    const after: ProductDocument = {
      ...before,
      stock: operation === 'set' ? quantity : before.stock + (operation === 'add' ? quantity : -quantity),
      updatedAt: now,
    };
    if (before.stock > 0 && after.stock === 0) {
      await appendEvent(ctx.db, session, { type: 'product.out_of_stock', ...tenant(ctx.principal), data: productJson(after) });
    }
    return after;
  });
}
