// Field resolvers of the Product entity: money leaves the subgraph in major units.
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { isoSeconds } from '../apiJson.js';
import { toMajor } from '../money.js';

export const Product: ProductResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.product.load(ref.id),
  id: (product) => product._id,
  price: (product) => toMajor(product.priceMinor, product.currency),
  inStock: (product) => product.stock > 0,
  createdAt: (product) => isoSeconds(product.createdAt),
  updatedAt: (product) => isoSeconds(product.updatedAt),
};
