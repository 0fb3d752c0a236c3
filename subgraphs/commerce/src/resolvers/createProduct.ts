// POST /v2/products: SKU unique in the account's catalog (409 SKU_ALREADY_EXISTS), positive price
// exact in the currency's minor unit, ISO 4217 currency.
import { JunctionError } from '../../../../platform/src/errors.js';
import { newId } from '../../../../platform/src/ids.js';
import type { MutationCreateProductArgs } from '../__generated__/resolvers-types.js';
import { requireWrite } from '../mutationHelpers.js';
import type { Context } from '../context.js';
import type { ProductDocument } from '../models.js';
import { products, tenant } from '../store.js';
import { validateProduct } from '../validation.js';
import { isDuplicateKey } from './duplicateKey.js';

export async function createProduct(ctx: Context, { input }: MutationCreateProductArgs): Promise<ProductDocument> {
  requireWrite(ctx);
  const valid = validateProduct(input);
  const now = new Date();
  const product: ProductDocument = { _id: newId('prd'), ...tenant(ctx.principal), ...valid, status: 'active', createdAt: now, updatedAt: now };
  try {
    // One insert: the unique index {accountId, mode, sku} is the check, so no transaction needed.
    await products(ctx.db).insertOne(product);
  } catch (error) {
    if (isDuplicateKey(error)) throw new JunctionError('SKU_ALREADY_EXISTS', `SKU ${valid.sku} is already used by another product`, { param: 'sku' });
    throw error;
  }
  return product;
}
