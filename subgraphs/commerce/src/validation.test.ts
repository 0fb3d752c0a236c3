import type { JunctionError } from '../../../platform/src/errors.js';
import { toMajor, toMinor } from './money.js';
import {
  isEmail,
  searchTerms,
  validateCurrency,
  validateEmail,
  validateMetadata,
  validateName,
  validateOrderItems,
  validatePagination,
  validateProduct,
  validateShippingAddress,
  validateStockInput,
} from './validation.js';

function failure(fn: () => unknown): { code: string; param: string | undefined } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    const e = error as JunctionError;
    return { code: e.code, param: e.param };
  }
}

describe('user rules', () => {
  it('requires a valid email', () => {
    expect(failure(() => validateEmail(undefined))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'email' });
    expect(failure(() => validateEmail(''))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'email' });
    for (const bad of ['bob', 'bob@', '@example.com', 'bob@example', 'bo b@example.com', 'bob..x@example.com', 'bob@-example.com', `${'a'.repeat(65)}@example.com`]) {
      expect([bad, failure(() => validateEmail(bad))?.code]).toEqual([bad, 'INVALID_EMAIL']);
    }
    for (const good of ['bob@example.com', 'first.last+tag@sub.example.co.uk', "o'hara@example.org"]) expect(isEmail(good)).toBe(true);
  });

  it('wants a name of 2 to 100 characters', () => {
    expect(failure(() => validateName(undefined))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'name' });
    expect(failure(() => validateName('A'))).toEqual({ code: 'INVALID_REQUEST', param: 'name' });
    expect(failure(() => validateName('x'.repeat(101)))).toEqual({ code: 'INVALID_REQUEST', param: 'name' });
    expect(validateName('Al')).toBe('Al');
    expect(validateName('é'.repeat(100))).toHaveLength(100);
  });

  it('limits metadata to 10 pairs with keys of at most 40 characters', () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(Object.keys(validateMetadata(pairs(10)) ?? {})).toHaveLength(10);
    expect(failure(() => validateMetadata(pairs(11)))).toEqual({ code: 'INVALID_REQUEST', param: 'metadata' });
    expect(failure(() => validateMetadata([{ key: 'k'.repeat(41), value: 'v' }]))?.code).toBe('INVALID_REQUEST');
    expect(validateMetadata([{ key: 'k'.repeat(40), value: 'v' }])).toEqual({ ['k'.repeat(40)]: 'v' });
    expect(failure(() => validateMetadata([{ key: '$where', value: 'v' }]))?.code).toBe('INVALID_REQUEST');
  });

  it('refuses metadata keys MongoDB cannot store as field names (NUL, $ prefix, dot), naming the key', () => {
    for (const key of ['a\u0000b', '\u0000', '$set', 'a.b', '.']) {
      expect([key, failure(() => validateMetadata([{ key, value: 'x' }]))]).toEqual([key, { code: 'INVALID_REQUEST', param: `metadata.${key}` }]);
    }
    // A NUL inside a value is stored fine (BSON strings carry their length).
    expect(validateMetadata([{ key: 'k', value: 'a\u0000b' }])).toEqual({ k: 'a\u0000b' });
    expect(validateMetadata([{ key: 'a$b', value: 'x' }])).toEqual({ a$b: 'x' });
  });

  it('bounds pagination', () => {
    expect(validatePagination(undefined, undefined)).toEqual({ page: 1, limit: 20 });
    expect(validatePagination(3, 100)).toEqual({ page: 3, limit: 100 });
    expect(failure(() => validatePagination(1, 101))).toEqual({ code: 'INVALID_REQUEST', param: 'limit' });
    expect(failure(() => validatePagination(0, 10))).toEqual({ code: 'INVALID_REQUEST', param: 'page' });
  });
});

describe('product rules', () => {
  const base = { name: 'Widget', sku: 'WGT-1', price: 19.99, currency: 'USD', category: 'widgets', stock: 5 };

  it('accepts the documented example and stores money in minor units', () => {
    expect(validateProduct(base)).toMatchObject({ priceMinor: 1999, price: 19.99, stock: 5, description: null });
  });

  it('refuses non-positive prices, bad currencies and sub-cent prices', () => {
    expect(failure(() => validateProduct({ ...base, price: 0 }))).toEqual({ code: 'INVALID_REQUEST', param: 'price' });
    expect(failure(() => validateProduct({ ...base, price: -1 }))).toEqual({ code: 'INVALID_REQUEST', param: 'price' });
    expect(failure(() => validateProduct({ ...base, price: 1.999 }))).toEqual({ code: 'INVALID_REQUEST', param: 'price' });
    expect(failure(() => validateProduct({ ...base, currency: 'XYZ' }))).toEqual({ code: 'INVALID_CURRENCY', param: 'currency' });
    expect(failure(() => validateProduct({ ...base, currency: 'usd' }))).toEqual({ code: 'INVALID_CURRENCY', param: 'currency' });
    expect(failure(() => validateProduct({ ...base, sku: undefined }))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'sku' });
    expect(failure(() => validateProduct({ ...base, category: 'Not A Slug' }))?.param).toBe('category');
    expect(validateCurrency('EUR')).toBe('EUR');
    expect(validateProduct({ ...base, price: 500, currency: 'JPY' }).priceMinor).toBe(500);
  });

  it('checks stock operations', () => {
    expect(validateStockInput({ operation: 'add', quantity: 100, reason: 'restocking' })).toEqual({ operation: 'add', quantity: 100, reason: 'restocking' });
    expect(validateStockInput({ operation: 'set', quantity: 0 }).quantity).toBe(0);
    expect(failure(() => validateStockInput({ operation: 'subtract', quantity: 0 }))).toEqual({ code: 'INVALID_REQUEST', param: 'quantity' });
    expect(failure(() => validateStockInput({ operation: 'remove', quantity: 1 }))).toEqual({ code: 'INVALID_REQUEST', param: 'operation' });
    expect(failure(() => validateStockInput({ quantity: 1 }))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'operation' });
  });

  it('escapes search words so they match literally', () => {
    const [term] = searchTerms('a.*(');
    expect(new RegExp(term ?? '').test('xa.*(y')).toBe(true);
    expect(new RegExp(term ?? '').test('abc')).toBe(false);
  });
});

describe('order rules', () => {
  it('needs items with a product and a positive quantity, once per product', () => {
    expect(failure(() => validateOrderItems([]))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'items' });
    expect(failure(() => validateOrderItems([{ productId: 'prd_1', quantity: 0 }]))).toEqual({ code: 'INVALID_REQUEST', param: 'items[0].quantity' });
    expect(failure(() => validateOrderItems([{ quantity: 1 }]))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'items[0].product_id' });
    expect(failure(() => validateOrderItems([{ productId: 'prd_1', quantity: 1 }, { productId: 'prd_1', quantity: 2 }]))?.param).toBe('items[1].product_id');
  });

  it('needs a shipping address with a real country code', () => {
    const address = { line1: '123 Main Street', city: 'Paris', postalCode: '75001', country: 'FR' };
    expect(validateShippingAddress(address)).toEqual({ ...address, line2: null, state: null });
    expect(failure(() => validateShippingAddress({ ...address, city: undefined }))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'shipping_address.city' });
    expect(failure(() => validateShippingAddress({ ...address, country: 'XX' }))?.param).toBe('shipping_address.country');
    expect(failure(() => validateShippingAddress(undefined))?.code).toBe('MISSING_REQUIRED_FIELD');
  });

  it('sums money exactly in minor units', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004; in cents it is 30.
    expect(toMajor((toMinor(0.1, 'USD') ?? 0) + (toMinor(0.2, 'USD') ?? 0), 'USD')).toBe(0.3);
    expect(toMajor(2 * (toMinor(44.99, 'EUR') ?? 0), 'EUR')).toBe(89.98);
    expect(toMinor(1.234, 'KWD')).toBe(1234);
  });
});
