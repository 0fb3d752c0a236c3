// POST /v2/orders. The one contended document of an order is the product, so it is never written in
// a transaction (on MongoDB, and on the embedded server, a write conflict there fails the whole
// transaction, and a rush on one product would become a storm of retries):
//   1. validate against one read of the catalogue (404 / 422 answered before any write);
//   2. hold the units with one atomic conditional decrement per product (stockHolds.ts); the
//      product that lacks stock is 422 INSUFFICIENT_STOCK, and whatever was held goes back;
//   3. one transaction with no hot document: the order, its events and the hold's outcome;
//   4. clear the hold markers. If step 3 fails the units go back; if the process dies between
//      2 and 4, sweepStock settles the hold from its outcome (released unless confirmed).
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationCreateOrderArgs } from '../__generated__/resolvers-types.js';
import { inTransaction, notFound, requireWrite } from '../mutationHelpers.js';
import { orderJson, productJson } from '../apiJson.js';
import type { Context } from '../context.js';
import type { OrderDocument, OrderItemDocument, ProductDocument, Tenanted } from '../models.js';
import { WITHOUT_MARKERS } from '../stock/stockCollections.js';
import { clearHolds, confirmHold, holdStock, releaseHolds, type HoldRequest } from '../stock/stockHolds.js';
import { sweepStockSoon } from '../stock/sweepStock.js';
import { orders, products, tenant, users } from '../store.js';
import { requireString, validateCurrency, validateOrderItems, validateShippingAddress } from '../validation.js';
import { isDuplicateKey } from './duplicateKey.js';

export async function createOrder(ctx: Context, { input }: MutationCreateOrderArgs): Promise<OrderDocument> {
  requireWrite(ctx);
  const userId = requireString(input.userId, 'user_id');
  const requested: HoldRequest[] = validateOrderItems(input.items).map((r, index) => ({ ...r, index }));
  const shippingAddress = validateShippingAddress(input.shippingAddress);
  const wantedCurrency = input.currency != null ? validateCurrency(input.currency) : undefined;
  const scope = tenant(ctx.principal);
  sweepStockSoon(ctx.db);

  const userFilter = { _id: userId, ...scope, deletedAt: null };
  if (!(await users(ctx.db).findOne(userFilter, { projection: { _id: 1 } }))) throw notFound('User', userId, 'user_id');

  // 1. Everything that does not depend on the race is answered from one read, before any write.
  const catalogue = new Map(
    (await products(ctx.db).find({ _id: { $in: requested.map((r) => r.productId) }, ...scope }, { projection: WITHOUT_MARKERS }).toArray()).map((p) => [p._id, p]),
  );
  const currency = wantedCurrency ?? catalogue.get(requested[0]!.productId)?.currency ?? 'USD';
  for (const r of requested) {
    const problem = notOrderable(catalogue.get(r.productId), r);
    if (problem) throw problem;
  }
  for (const r of requested) {
    const product = catalogue.get(r.productId)!;
    // No exchange rates here: an order is in the currency its products are priced in.
    if (product.currency !== currency) {
      throw new JunctionError('UNPROCESSABLE', `Product ${product._id} is priced in ${product.currency}, not ${currency}`, { param: 'currency' });
    }
  }

  // 2. The contended step: one atomic conditional decrement per product.
  const orderId = newId('ord');
  const hold = await holdStock(ctx.db, scope, orderId, requested);
  if (!hold.ok) {
    const now = await products(ctx.db).findOne({ _id: hold.failed.productId, ...scope }, { projection: WITHOUT_MARKERS });
    throw notOrderable(now ?? undefined, hold.failed) ?? insufficient(hold.failed, now?.stock ?? 0);
  }
  const heldItems = hold.held.map((h) => h.request);

  // 3. The order, its events and the hold's outcome commit together; no product is in this transaction.
  let order: OrderDocument;
  try {
    order = await inTransaction(ctx, async (session) => {
      // Re-checked here: a user deleted meanwhile gets no order.
      if (!(await users(ctx.db).findOne(userFilter, { session, projection: { _id: 1 } }))) throw notFound('User', userId, 'user_id');
      const now = new Date();
      const doc = buildOrder(orderId, scope, userId, currency, shippingAddress, hold.held, now);
      await orders(ctx.db).insertOne(doc, { session });
      await confirmHold(ctx.db, session, orderId, now);
      await appendEvent(ctx.db, session, { type: 'order.created', ...scope, data: orderJson(doc) });
      // Exactly one decrement sees a product reach 0, so this is written once each time it does.
      for (const { product } of hold.held) {
        if (product.stock === 0) await appendEvent(ctx.db, session, { type: 'product.out_of_stock', ...scope, data: productJson(product) });
      }
      return doc;
    });
  } catch (error) {
    await releaseHolds(ctx.db, orderId, heldItems).catch(() => undefined); // else the sweeper releases them
    // The outcome was already `released`: this request outlived HOLD_TIMEOUT_MS and the sweeper took the units back.
    if (isDuplicateKey(error)) throw new JunctionError('SERVICE_UNAVAILABLE', 'The order took too long and was not placed; please retry', {});
    throw error;
  }

  // 4. The units stay sold; only the markers go (a crash here leaves them to the sweeper).
  await clearHolds(ctx.db, orderId, heldItems.map((i) => i.productId)).catch(() => undefined);
  return order;
}

/** Why an item cannot be ordered now: gone, not for sale, or not enough in stock. */
function notOrderable(product: ProductDocument | undefined, r: HoldRequest): JunctionError | undefined {
  if (!product) return notFound('Product', r.productId, `items[${r.index}].product_id`);
  if (product.status !== 'active') return new JunctionError('UNPROCESSABLE', `Product ${product._id} is not for sale`, { param: `items[${r.index}].product_id` });
  if (product.stock < r.quantity) return insufficient(r, product.stock);
  return undefined;
}

function insufficient(r: HoldRequest, stock: number): JunctionError {
  return new JunctionError('INSUFFICIENT_STOCK', `Product ${r.productId} has only ${stock} in stock`, {
    param: `items[${r.index}].quantity`,
    details: { product_id: r.productId, requested: r.quantity },
  });
}

function buildOrder(
  id: string,
  scope: Tenanted,
  userId: string,
  currency: string,
  shippingAddress: OrderDocument['shippingAddress'],
  held: { request: HoldRequest; product: ProductDocument }[],
  now: Date,
): OrderDocument {
  // Name, SKU and price as they were when the units were taken.
  const items: OrderItemDocument[] = held.map(({ request, product }) => ({
    productId: product._id,
    name: product.name,
    sku: product.sku,
    quantity: request.quantity,
    unitPriceMinor: product.priceMinor,
    currency,
  }));
  return {
    _id: id,
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
}
