// POST /v2/orders. In one transaction: check the user, price every item from the catalog, reserve
// stock with conditional decrements (`stock >= quantity`), insert the order and its events. If
// any item lacks stock the transaction aborts: 422 INSUFFICIENT_STOCK and nothing has changed.
// Concurrent orders on one product conflict inside the database and the driver retries them, so
// stock never goes below zero.
import type { ClientSession } from 'mongodb';
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationCreateOrderArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../access.js';
import { orderJson, productJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { OrderDocument, OrderItemDocument, ProductDocument } from '../models.js';
import { orders, products, tenant, users } from '../store.js';
import { requireString, validateCurrency, validateOrderItems, validateShippingAddress } from '../validation.js';

export async function createOrder(ctx: Context, { input }: MutationCreateOrderArgs): Promise<OrderDocument> {
  requireWrite(ctx);
  const userId = requireString(input.userId, 'user_id');
  const requested = validateOrderItems(input.items);
  const shippingAddress = validateShippingAddress(input.shippingAddress);
  const wantedCurrency = input.currency != null ? validateCurrency(input.currency) : undefined;
  const scope = tenant(ctx.principal);

  // A missing user fails fast, before any transaction starts.
  const userFilter = { _id: userId, ...scope, deletedAt: null };
  if (!(await users(ctx.db).findOne(userFilter, { projection: { _id: 1 } }))) throw notFound('User', userId, 'user_id');

  return inTransaction(ctx, async (session) => {
    // The contended writes (stock decrements) come first: the transaction's snapshot is then as
    // fresh as possible when it takes each product's lock, so a rush on one product causes few
    // write conflicts. Any error below aborts the transaction and un-reserves everything.
    const now = new Date();
    const outOfStock: ProductDocument[] = [];
    const reserved: ProductDocument[] = [];
    for (const [i, r] of requested.entries()) {
      const after = await products(ctx.db).findOneAndUpdate(
        { _id: r.productId, ...scope, status: 'active', stock: { $gte: r.quantity } },
        { $inc: { stock: -r.quantity }, $set: { updatedAt: now } },
        { session, returnDocument: 'after' },
      );
      if (!after) throw await whyNotReserved(ctx, session, r.productId, r.quantity, i);
      if (after.stock === 0) outOfStock.push(after);
      reserved.push(after);
    }
    // Re-checked inside the transaction: a user deleted meanwhile gets no order.
    if (!(await users(ctx.db).findOne(userFilter, { session, projection: { _id: 1 } }))) throw notFound('User', userId, 'user_id');

    const currency = wantedCurrency ?? reserved[0]?.currency ?? 'USD';
    const items: OrderItemDocument[] = reserved.map((product, i) => {
      // No exchange rates here: an order is in the currency its products are priced in.
      if (product.currency !== currency) {
        throw new JunctionError('UNPROCESSABLE', `Product ${product._id} is priced in ${product.currency}, not ${currency}`, { param: 'currency' });
      }
      return { productId: product._id, name: product.name, sku: product.sku, quantity: requested[i]!.quantity, unitPriceMinor: product.priceMinor, currency };
    });

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
    // A product ordered twice in one order reaches 0 once: one event per product.
    for (const product of new Map(outOfStock.map((p) => [p._id, p])).values()) {
      await appendEvent(ctx.db, session, { type: 'product.out_of_stock', ...scope, data: productJson(product) });
    }
    return order;
  });
}

/** The documented error for an item whose stock could not be reserved. */
async function whyNotReserved(ctx: Context, session: ClientSession, productId: string, quantity: number, index: number): Promise<JunctionError> {
  const product = await products(ctx.db).findOne({ _id: productId, ...tenant(ctx.principal) }, { session });
  if (!product) return notFound('Product', productId, `items[${index}].product_id`);
  if (product.status !== 'active') {
    return new JunctionError('UNPROCESSABLE', `Product ${product._id} is not for sale`, { param: `items[${index}].product_id` });
  }
  return new JunctionError('INSUFFICIENT_STOCK', `Product ${productId} has only ${product.stock} in stock`, {
    param: `items[${index}].quantity`,
    details: { product_id: productId, requested: quantity },
  });
}
