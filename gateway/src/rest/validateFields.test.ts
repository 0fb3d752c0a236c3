import { JunctionError } from '../../../platform/src/errors.js';
import { validateObject, validateQuery } from './validateFields.js';
import type { BodySpec } from './RestRoute.js';

const spec: BodySpec = {
  email: { type: 'string', required: true },
  name: { type: 'string', min: 2, max: 100 },
  plan: { type: 'string', enum: ['free', 'pro'] },
  metadata: { type: 'object', max: 10 },
  items: { type: 'array', items: { type: 'object', fields: { product_id: { type: 'string', required: true }, quantity: { type: 'integer', min: 1 } } } },
};

function refusal(fn: () => unknown): { code: string; param: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof JunctionError) return { code: error.code, param: error.param };
    throw error;
  }
  throw new Error('expected a refusal');
}

test('a valid body passes through', () => {
  const body = { email: 'a@b.co', name: 'Al', items: [{ product_id: 'prd_1', quantity: 2 }] };
  expect(validateObject(spec, body)).toEqual(body);
});

test('unknown, missing, wrongly typed and out-of-range fields are refused with the field named', () => {
  expect(refusal(() => validateObject(spec, { email: 'a@b.co', nickname: 'x' }))).toEqual({ code: 'INVALID_REQUEST', param: 'nickname' });
  expect(refusal(() => validateObject(spec, { name: 'Al' }))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'email' });
  expect(refusal(() => validateObject(spec, { email: 42 }))).toEqual({ code: 'INVALID_REQUEST', param: 'email' });
  expect(refusal(() => validateObject(spec, { email: 'a', name: 'A' }))).toEqual({ code: 'INVALID_REQUEST', param: 'name' });
  expect(refusal(() => validateObject(spec, { email: 'a', plan: 'gold' }))).toEqual({ code: 'INVALID_REQUEST', param: 'plan' });
  expect(refusal(() => validateObject(spec, { email: 'a', items: [{ product_id: 'p', quantity: 1.5 }] }))).toEqual({ code: 'INVALID_REQUEST', param: 'items[0].quantity' });
  expect(refusal(() => validateObject(spec, { email: 'a', items: [{ quantity: 1 }] }))).toEqual({ code: 'MISSING_REQUIRED_FIELD', param: 'items[0].product_id' });
  expect(refusal(() => validateObject(spec, { email: 'a', metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }))).toEqual({ code: 'INVALID_REQUEST', param: 'metadata' });
});

test('query strings are coerced to the declared types', () => {
  const q: BodySpec = { page: { type: 'integer', min: 1 }, in_stock: { type: 'boolean' }, min_price: { type: 'number' }, q: { type: 'string' } };
  expect(validateQuery(q, new URLSearchParams('page=2&in_stock=true&min_price=9.5&q=wid'))).toEqual({ page: 2, in_stock: true, min_price: 9.5, q: 'wid' });
  expect(refusal(() => validateQuery(q, new URLSearchParams('page=two')))).toEqual({ code: 'INVALID_REQUEST', param: 'page' });
  expect(refusal(() => validateQuery(q, new URLSearchParams('page=0')))).toEqual({ code: 'INVALID_REQUEST', param: 'page' });
  expect(refusal(() => validateQuery(q, new URLSearchParams('colour=red')))).toEqual({ code: 'INVALID_REQUEST', param: 'colour' });
});
