// The commerce subgraph's resolver map: queries, mutations and the entity field resolvers.
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { cancelOrder } from './cancelOrder.js';
import { createOrder } from './createOrder.js';
import { createProduct } from './createProduct.js';
import { createUser } from './createUser.js';
import { deleteUser } from './deleteUser.js';
import { fulfilment } from './fulfilment.js';
import { listOrders } from './listOrders.js';
import { listProducts } from './listProducts.js';
import { listUsers } from './listUsers.js';
import { Order, OrderItem } from './orderType.js';
import { Product } from './productType.js';
import { updateProductStock } from './updateProductStock.js';
import { updateUser } from './updateUser.js';
import { User } from './userType.js';

export const resolvers: Resolvers = {
  Query: {
    users: (_p, args, ctx) => listUsers(ctx, args),
    user: (_p, { id }, ctx) => ctx.loaders.user.load(id),
    products: (_p, args, ctx) => listProducts(ctx, args),
    product: (_p, { id }, ctx) => ctx.loaders.product.load(id),
    orders: (_p, args, ctx) => listOrders(ctx, args),
    order: (_p, { id }, ctx) => ctx.loaders.order.load(id),
  },
  Mutation: {
    createUser: (_p, args, ctx) => createUser(ctx, args),
    updateUser: (_p, args, ctx) => updateUser(ctx, args),
    deleteUser: (_p, args, ctx) => deleteUser(ctx, args),
    createProduct: (_p, args, ctx) => createProduct(ctx, args),
    updateProductStock: (_p, args, ctx) => updateProductStock(ctx, args),
    createOrder: (_p, args, ctx) => createOrder(ctx, args),
    cancelOrder: (_p, args, ctx) => cancelOrder(ctx, args),
    ...fulfilment,
  },
  User,
  Product,
  Order,
  OrderItem,
};
