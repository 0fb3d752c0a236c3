// GET /v2/products: category, in_stock, min/max price (inclusive) and a word search over name and
// description. Search words are escaped before they become regexes (no regex injection).
import type { Filter } from 'mongodb';
import { JunctionError } from '../../../../platform/src/errors.js';
import type { QueryProductsArgs } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { ProductDocument } from '../models.js';
import { paginate, type Page } from '../paginate.js';
import { products, tenant } from '../store.js';
import { searchTerms, validatePagination } from '../validation.js';

export function listProducts(ctx: Context, args: QueryProductsArgs): Promise<Page<ProductDocument>> {
  const { page, limit } = validatePagination(args.page, args.limit);
  const filter: Filter<ProductDocument> = { ...tenant(ctx.principal) };
  if (args.category != null) filter.category = args.category;
  if (args.inStock != null) filter.stock = args.inStock ? { $gt: 0 } : 0;
  for (const [name, value] of [['min_price', args.minPrice], ['max_price', args.maxPrice]] as const) {
    if (value != null && (!Number.isFinite(value) || value < 0)) throw new JunctionError('INVALID_REQUEST', `${name} must be a non-negative number`, { param: name });
  }
  if (args.minPrice != null && args.maxPrice != null && args.minPrice > args.maxPrice) {
    throw new JunctionError('INVALID_REQUEST', 'min_price cannot exceed max_price', { param: 'min_price' });
  }
  if (args.minPrice != null || args.maxPrice != null) {
    filter.price = { ...(args.minPrice != null ? { $gte: args.minPrice } : {}), ...(args.maxPrice != null ? { $lte: args.maxPrice } : {}) };
  }
  if (args.q != null && args.q.trim() !== '') {
    if (args.q.length > 200) throw new JunctionError('INVALID_REQUEST', 'q must be at most 200 characters', { param: 'q' });
    filter.$and = searchTerms(args.q).map((term) => ({
      $or: [{ name: { $regex: term, $options: 'i' } }, { description: { $regex: term, $options: 'i' } }],
    }));
  }
  return paginate(products(ctx.db), filter, { createdAt: -1, _id: -1 }, page, limit);
}
