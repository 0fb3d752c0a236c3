// Field resolvers of Order and OrderItem: related users and products go through the request's
// loaders, so a page of orders costs one query per collection.
import type { OrderItemResolvers, OrderResolvers } from '../__generated__/resolvers-types.js';
import { isoSeconds } from '../apiJson.js';
import { toMajor } from '../money.js';

export const Order: OrderResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.order.load(ref.id),
  id: (order) => order._id,
  user: (order, _args, ctx) => ctx.loaders.user.load(order.userId),
  total: (order) => toMajor(order.totalMinor, order.currency),
  createdAt: (order) => isoSeconds(order.createdAt),
  updatedAt: (order) => isoSeconds(order.updatedAt),
};

export const OrderItem: OrderItemResolvers = {
  product: (item, _args, ctx) => ctx.loaders.product.load(item.productId),
  unitPrice: (item) => toMajor(item.unitPriceMinor, item.currency),
  subtotal: (item) => toMajor(item.unitPriceMinor * item.quantity, item.currency),
};
