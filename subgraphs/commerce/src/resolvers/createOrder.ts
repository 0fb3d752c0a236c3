// POST /v2/orders. In one transaction: check the user, price every item from the catalog, reserve
// stock with conditional decrements (`stock >= quantity`), insert the order and its events. If
// any item lacks stock the transaction aborts: 422 INSUFFICIENT_STOCK and nothing has changed.
// Concurrent orders on one product conflict inside the database and the driver retries them, so
// stock never goes below zero.
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationCreateOrderArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../access.js';
import { orderJson, productJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { OrderDocument, OrderItemDocument } from '../models.js';
import { orders, products, tenant, users } from '../store.js';
import { requireString, validateCurrency, validateOrderItems, validateShippingAddress } from '../validation.js';

export async function createOrder(ctx: Context, { input }: MutationCreateOrderArgs): Promise<OrderDocument> {
  requireWrite(ctx);
  const userId = requireString(input.userId, 'user_id');
  const requested = validateOrderItems(input.items);
  const shippingAddress = validateShippingAddress(input.shippingAddress);
  const wantedCurrency = input.currency != null ? validateCurrency(input.currency) : undefined;
  const scope = tenant(ctx.principal);

  return inTransaction(ctx, async (session) => {
    const user = await users(ctx.db).findOne({ _id: userId, ...scope, deletedAt: null }, { session, projection: { _id: 1 } });
    if (!user) throw notFound('User', userId, 'user_id');

    const found = await products(ctx.db).find({ _id: { $in: requested.map((r) => r.productId) }, ...scope }, { session }).toArray();
    const byId = new Map(found.map((p) => [p._id, p]));
    const currency = wantedCurrency ?? found[0]?.currency ?? 'USD';
    const items: OrderItemDocument[] = requested.map((r, i) => {
      const product = byId.get(r.productId);
      if (!product) throw notFound('Product', r.productId, `items[${i}].product_id`);
      if (product.status !== 'active') {
        throw new JunctionError('UNPROCESSABLE', `Product ${product._id} is not for sale`, { param: `items[${i}].product_id` });
      }
      // No exchange rates here: an order is in the currency its products are priced in.
      if (product.currency !== currency) {
        throw new JunctionError('UNPROCESSABLE', `Product ${product._id} is priced in ${product.currency}, not ${currency}`, { param: 'currency' });
      }
      return { productId: product._id, name: product.name, sku: product.sku, quantity: r.quantity, unitPriceMinor: product.priceMinor, currency };
    });

    const now = new Date();
    const outOfStock: string[] = [];
    for (const [i, item] of items.entries()) {
      const before = await products(ctx.db).findOneAndUpdate(
        { _id: item.productId, ...scope, stock: { $gte: item.quantity } },
        { $inc: { stock: -item.quantity }, $set: { updatedAt: now } },
        { session, returnDocument: 'before', projection: { stock: 1 } },
      );
      if (!before) {
        const available = byId.get(item.productId)?.stock ?? 0;
        throw new JunctionError('INSUFFICIENT_STOCK', `Product ${item.productId} has only ${available} in stock`, {
          param: `items[${i}].quantity`,
          details: { product_id: item.productId, requested: item.quantity },
        });
      }
      if (before.stock === item.quantity) outOfStock.push(item.productId);
    }

    const order: OrderDocument = {
      _id: newId('ord'),
      ...scope,
      userId,
      status: 'pending',
      currency,
      items,
      totalMinor: items.reduce((sum, item) => sum + item.unitPriceMinor * item.quantity, 0),
      shippingAddress,
      trackingNumber: null,
      cancellationReason: null,
      statusHistory: [{ from: null, to: 'pending', at: now }],
      createdAt: now,
      updatedAt: now,
    };
    await orders(ctx.db).insertOne(order, { session });
    await appendEvent(ctx.db, session, { type: 'order.created', ...scope, data: orderJson(order) });
    for (const productId of outOfStock) {
      const product = byId.get(productId);
      if (product) await appendEvent(ctx.db, session, { type: 'product.out_of_stock', ...scope, data: productJson({ ...product, stock: 0, updatedAt: now }) });
    }
    return order;
  });
}
