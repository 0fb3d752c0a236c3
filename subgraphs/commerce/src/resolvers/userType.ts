// Field resolvers of the User entity.
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { isoSeconds } from '../apiJson.js';
import { listOrders } from './listOrders.js';

export const User: UserResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.user.load(ref.id),
  id: (user) => user._id,
  metadata: (user) => Object.entries(user.metadata ?? {}).map(([key, value]) => ({ key, value })),
  createdAt: (user) => isoSeconds(user.createdAt),
  updatedAt: (user) => isoSeconds(user.updatedAt),
  orders: (user, args, ctx) => listOrders(ctx, { ...args, userId: user._id }),
};
