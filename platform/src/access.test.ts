import { parse } from 'graphql';
import { JunctionError } from './errors.js';
import { applyAccessRules, checkAccess, missingAccessRules } from './access.js';
import type { Principal } from './principal.js';

const p = (over: Partial<Principal> = {}): Principal => ({ accountId: 'a', mode: 'live', keyType: 'live', plan: 'free', scopes: ['*'], requestId: 'r', ...over });

test('root fields without a rule are listed', () => {
  const typeDefs = parse('type Query { a: Int b: Int } type Mutation { c: Int }');
  expect(missingAccessRules(typeDefs, { 'Query.a': 'authenticated' })).toEqual(['Query.b', 'Mutation.c']);
});

test('rules: service-only fields, readonly mutations and scopes are refused with FORBIDDEN', () => {
  expect(() => checkAccess('service', p(), false)).toThrow(JunctionError);
  expect(() => checkAccess('service', p({ keyType: 'service' }), false)).not.toThrow();
  expect(() => checkAccess('authenticated', p({ keyType: 'readonly' }), true)).toThrow(/only read/);
  expect(() => checkAccess({ scope: 'admin' }, p({ scopes: ['read'] }), false)).toThrow(/admin/);
  expect(() => checkAccess({ scope: 'admin' }, p({ scopes: ['admin'] }), false)).not.toThrow();
});

test('wrapped resolvers check the rule before running', async () => {
  let ran = false;
  const wrapped = applyAccessRules({ Query: { secret: () => ((ran = true), 1) } } as never, { 'Query.secret': 'service' }) as { Query: { secret: (...a: unknown[]) => unknown } };
  expect(() => wrapped.Query.secret({}, {}, { principal: p() }, {})).toThrow(JunctionError);
  expect(ran).toBe(false);
});
