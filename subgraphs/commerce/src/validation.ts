// Input rules of TechCorp API v2.0.3, shared by GraphQL and REST (the REST table only checks JSON
// types and unknown fields). Each rule throws a JunctionError naming the field as the REST API
// names it (`param`), so both surfaces report the same code and field.
import { JunctionError } from '../../../platform/src/errors.js';
import { isCurrency, toMinor } from './money.js';
import type { ProductDocument, ShippingAddressDocument, UserPlan, UserStatus } from './models.js';

export const MAX_LIMIT = 100;
export const MAX_METADATA_PAIRS = 10;
export const MAX_METADATA_KEY = 40;
export const MAX_METADATA_VALUE = 500;
export const MAX_ORDER_ITEMS = 100;
export const MAX_QUANTITY = 1_000_000;

const USER_PLANS: readonly UserPlan[] = ['free', 'starter', 'pro', 'enterprise'];
const USER_STATUSES: readonly UserStatus[] = ['active', 'inactive', 'pending'];

function invalid(param: string, message: string): JunctionError {
  return new JunctionError('INVALID_REQUEST', message, { param });
}

function missing(param: string): JunctionError {
  return new JunctionError('MISSING_REQUIRED_FIELD', `${param} is required`, { param });
}

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

export function requireString(value: string | null | undefined, param: string): string {
  if (!present(value) || value.trim() === '') throw missing(param);
  return value;
}

// RFC 5321 limits (local part ≤ 64, address ≤ 254) with the usual dot-atom local part and a
// dotted host name of letters, digits and hyphens ending in a letter TLD.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isEmail(email: string): boolean {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  return /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1] ?? '');
}

export function validateEmail(value: string | null | undefined): string {
  const email = requireString(value, 'email');
  if (!isEmail(email)) throw new JunctionError('INVALID_EMAIL', `${email} is not a valid email address`, { param: 'email' });
  return email;
}

/** Case-insensitive uniqueness: Bob@Example.com and bob@example.com are the same address. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

export function validateName(value: string | null | undefined, param = 'name', min = 2, max = 100): string {
  const name = requireString(value, param).trim();
  const length = [...name].length;
  if (length < min || length > max) throw invalid(param, `${param} must be between ${min} and ${max} characters`);
  return name;
}

export function validatePlan(value: string | null | undefined): UserPlan | undefined {
  if (!present(value)) return undefined;
  if (!(USER_PLANS as readonly string[]).includes(value)) throw invalid('plan', `plan must be one of ${USER_PLANS.join(', ')}`);
  return value as UserPlan;
}

export function validateUserStatus(value: string | null | undefined): UserStatus | undefined {
  if (!present(value)) return undefined;
  if (!(USER_STATUSES as readonly string[]).includes(value)) throw invalid('status', `status must be one of ${USER_STATUSES.join(', ')}`);
  return value as UserStatus;
}

export function validateMetadata(entries: ReadonlyArray<{ key: string; value: string }> | null | undefined): Record<string, string> | undefined {
  if (!present(entries)) return undefined;
  if (entries.length > MAX_METADATA_PAIRS) throw invalid('metadata', `metadata can hold at most ${MAX_METADATA_PAIRS} key-value pairs`);
  const metadata: Record<string, string> = {};
  for (const { key, value } of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY) throw invalid(`metadata.${key}`, `metadata keys must be 1 to ${MAX_METADATA_KEY} characters`);
    // Keys become stored field names: refuse what BSON cannot encode (a NUL ends a field name)
    // and what MongoDB reads as an operator or a path.
    if (key.includes('\u0000')) throw invalid(`metadata.${key}`, 'metadata keys cannot contain a NUL character');
    if (key.startsWith('$') || key.includes('.') || key === '__proto__') throw invalid(`metadata.${key}`, 'metadata keys cannot start with $ or contain a dot');
    if (Object.prototype.hasOwnProperty.call(metadata, key)) throw invalid(`metadata.${key}`, `metadata key ${key} is given twice`);
    if (value.length > MAX_METADATA_VALUE) throw invalid(`metadata.${key}`, `metadata values must be at most ${MAX_METADATA_VALUE} characters`);
    metadata[key] = value;
  }
  return metadata;
}

export function validatePagination(page: number | null | undefined, limit: number | null | undefined): { page: number; limit: number } {
  const p = page ?? 1;
  const l = limit ?? 20;
  if (!Number.isInteger(p) || p < 1) throw invalid('page', 'page must be an integer of at least 1');
  if (!Number.isInteger(l) || l < 1 || l > MAX_LIMIT) throw invalid('limit', `limit must be an integer between 1 and ${MAX_LIMIT}`);
  return { page: p, limit: l };
}

export function validateCurrency(value: string | null | undefined, param = 'currency'): string {
  const currency = requireString(value, param);
  if (!isCurrency(currency)) throw new JunctionError('INVALID_CURRENCY', `${currency} is not a valid ISO 4217 currency code`, { param });
  return currency;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface ProductInput {
  name?: string | null;
  sku?: string | null;
  price?: number | null;
  currency?: string | null;
  category?: string | null;
  stock?: number | null;
  description?: string | null;
}

/** A product's client-given fields, checked (the rest of a ProductDocument is set by the store). */
export type ValidProduct = Pick<ProductDocument, 'name' | 'sku' | 'priceMinor' | 'price' | 'currency' | 'category' | 'stock' | 'description'>;

export function validateProduct(input: ProductInput): ValidProduct {
  const name = validateName(input.name, 'name', 1, 200);
  const sku = requireString(input.sku, 'sku').trim();
  if (sku.length > 64 || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(sku)) throw invalid('sku', 'sku must be 1–64 letters, digits, dots, dashes or underscores');
  if (!present(input.price)) throw missing('price');
  const currency = validateCurrency(input.currency);
  if (!(input.price > 0) || !Number.isFinite(input.price)) throw invalid('price', 'price must be positive');
  const priceMinor = toMinor(input.price, currency);
  if (priceMinor === undefined) throw invalid('price', `price has more decimals than ${currency} allows`);
  let category: string | null = null;
  if (present(input.category)) {
    if (!SLUG.test(input.category) || input.category.length > 64) throw invalid('category', 'category must be a slug (lower-case letters, digits and dashes)');
    category = input.category;
  }
  const stock = input.stock ?? 0;
  if (!Number.isInteger(stock) || stock < 0 || stock > MAX_QUANTITY) throw invalid('stock', 'stock must be a non-negative integer');
  let description: string | null = null;
  if (present(input.description)) {
    if (input.description.length > 5000) throw invalid('description', 'description must be at most 5000 characters');
    description = input.description;
  }
  return { name, sku, priceMinor, price: input.price, currency, category, stock, description };
}

export type StockOperationName = 'add' | 'subtract' | 'set';

export function validateStockInput(input: { operation?: string | null; quantity?: number | null; reason?: string | null }): { operation: StockOperationName; quantity: number; reason: string | null } {
  if (!present(input.operation)) throw missing('operation');
  if (input.operation !== 'add' && input.operation !== 'subtract' && input.operation !== 'set') throw invalid('operation', 'operation must be add, subtract or set');
  if (!present(input.quantity)) throw missing('quantity');
  const min = input.operation === 'set' ? 0 : 1;
  if (!Number.isInteger(input.quantity) || input.quantity < min || input.quantity > MAX_QUANTITY) {
    throw invalid('quantity', `quantity must be an integer between ${min} and ${MAX_QUANTITY}`);
  }
  if (present(input.reason) && input.reason.length > 200) throw invalid('reason', 'reason must be at most 200 characters');
  return { operation: input.operation, quantity: input.quantity, reason: input.reason ?? null };
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

export interface AddressInput {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export function validateShippingAddress(input: AddressInput | null | undefined): ShippingAddressDocument {
  if (!present(input)) throw missing('shipping_address');
  const field = (value: string | null | undefined, name: string, required: boolean): string | null => {
    const param = `shipping_address.${name}`;
    if (!present(value) || value.trim() === '') {
      if (required) throw missing(param);
      return null;
    }
    if (value.length > 200) throw invalid(param, `${param} must be at most 200 characters`);
    return value.trim();
  };
  const country = field(input.country, 'country', true) as string;
  if (!/^[A-Z]{2}$/.test(country) || REGIONS.of(country) === undefined) {
    throw invalid('shipping_address.country', 'country must be an ISO 3166-1 alpha-2 code such as FR');
  }
  return {
    line1: field(input.line1, 'line1', true) as string,
    line2: field(input.line2, 'line2', false),
    city: field(input.city, 'city', true) as string,
    state: field(input.state, 'state', false),
    postalCode: field(input.postalCode, 'postal_code', true) as string,
    country,
  };
}

export interface OrderItemRequest {
  productId: string;
  quantity: number;
}

export function validateOrderItems(items: ReadonlyArray<{ productId?: string | null; quantity?: number | null }> | null | undefined): OrderItemRequest[] {
  if (!present(items) || items.length === 0) throw missing('items');
  if (items.length > MAX_ORDER_ITEMS) throw invalid('items', `an order has at most ${MAX_ORDER_ITEMS} items`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    const productId = requireString(item.productId, `items[${i}].product_id`);
    if (!present(item.quantity)) throw missing(`items[${i}].quantity`);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw invalid(`items[${i}].quantity`, 'quantity must be an integer of at least 1');
    }
    if (seen.has(productId)) throw invalid(`items[${i}].product_id`, `product ${productId} appears twice; give one item per product`);
    seen.add(productId);
    return { productId, quantity: item.quantity };
  });
}

/** Turns a search string into escaped regex sources (one per word), so input is never read as a regex. */
export function searchTerms(q: string): string[] {
  const words = q.trim().split(/\s+/).filter((w) => w.length > 0).slice(0, 10);
  return words.map((w) => w.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&'));
}
