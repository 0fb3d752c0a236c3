// Field resolvers of the User entity.
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { isoSeconds } from '../apiJson.js';
import { validatePagination } from '../validation.js';

export const User: UserResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.user.load(ref.id),
  id: (user) => user._id,
  metadata: (user) => Object.entries(user.metadata ?? {}).map(([key, value]) => ({ key, value })),
  createdAt: (user) => isoSeconds(user.createdAt),
  updatedAt: (user) => isoSeconds(user.updatedAt),
  orders: (user, args, ctx) => ctx.loaders.ordersByUser.load({ userId: user._id, ...validatePagination(args.page, args.limit), status: args.status ?? null }),
};
