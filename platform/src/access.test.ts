import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { JunctionError } from './errors.js';
import { assertAccessRules, checkAccess, guardSchema, missingAccessRules, unknownAccessRules, type AccessRules } from './access.js';
import type { Principal } from './principal.js';

const p = (over: Partial<Principal> = {}): Principal => ({ accountId: 'a', mode: 'live', keyType: 'live', plan: 'free', scopes: ['*'], requestId: 'r', ...over });

const sdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Order @key(fields: "id") { id: ID! total: Float! note: String }
  type Shop @key(fields: "id") { id: ID! }
  type Query { order(id: ID!): Order secret: String }
  type Mutation { cancel(id: ID!): Order }
`);
const read = { scope: 'shop:read' } as const;
const rules: AccessRules = { Shop: 'authenticated', Order: read, 'Order.note': { scope: ['shop:read', 'notes:read'] }, 'Query.order': read, 'Query.secret': 'service', 'Mutation.cancel': { scope: 'shop:write' } };

test('every root field and every other object type needs a rule; a rule must name something', () => {
  expect(missingAccessRules(sdl, {})).toEqual(['Order', 'Shop', 'Query.order', 'Query.secret', 'Mutation.cancel']);
  // Field rules alone never cover a type: its rule also guards its entity references.
  expect(missingAccessRules(sdl, { ...rules, Order: undefined as never, 'Order.id': read, 'Order.total': read })).toEqual(['Order']);
  expect(missingAccessRules(sdl, rules)).toEqual([]);
  expect(unknownAccessRules(sdl, { ...rules, 'Order.totl': read, Invoice: read, Query: read })).toEqual(['Order.totl', 'Invoice', 'Query']);
  expect(() => assertAccessRules('shop', sdl, { ...rules, 'Query.secret': undefined as never, 'Order.totl': read })).toThrow(/shop: Query\.secret has no access rule[\s\S]*shop: rule Order\.totl names nothing/);
});

test('rules: service-only fields, readonly mutations and scopes are refused with FORBIDDEN', () => {
  expect(() => checkAccess('service', p(), false)).toThrow(JunctionError);
  expect(() => checkAccess('service', p({ keyType: 'service' }), false)).not.toThrow();
  expect(() => checkAccess('authenticated', p({ keyType: 'readonly' }), true)).toThrow(/only read/);
  expect(() => checkAccess({ scope: 'admin' }, p({ scopes: ['read'] }), false)).toThrow(/admin/);
  expect(() => checkAccess({ scope: 'admin' }, p({ scopes: ['admin'] }), false)).not.toThrow();
  expect(() => checkAccess({ scope: ['a:read', 'b:read'] }, p({ scopes: ['a:read'] }), false)).toThrow(/b:read/);
  expect(() => checkAccess({ scope: ['a:read', 'b:read'] }, p({ scopes: ['read'] }), false)).not.toThrow();
});

describe('a guarded schema', () => {
  let loads = 0;
  const schema = guardSchema(
    buildSubgraphSchema({
      typeDefs: sdl,
      resolvers: {
        Query: { order: (_: unknown, { id }: { id: string }) => ({ id, total: 5, note: 'n' }), secret: () => 'internal' },
        Mutation: { cancel: (_: unknown, { id }: { id: string }) => ({ id, total: 0, note: null }) },
        Order: { __resolveReference: (ref: { id: string }) => (loads++, { id: ref.id, total: 7, note: 'n' }) },
      } as never,
    }),
    rules,
  );
  const run = async (query: string, principal: Principal) => {
    const result = await execute({ schema, document: parse(query), contextValue: { principal } });
    return { data: result.data, errors: result.errors?.map((e) => `${e.path?.join('.')}: ${e.message}`) };
  };

  test('root fields, default field resolvers and overrides follow their rules', async () => {
    expect(await run('{ order(id: "o1") { id total note } }', p({ scopes: ['shop:read', 'notes:read'] }))).toEqual({ data: { order: { id: 'o1', total: 5, note: 'n' } }, errors: undefined });
    expect(await run('{ order(id: "o1") { id total note } }', p({ scopes: ['shop:read'] }))).toEqual({ data: { order: { id: 'o1', total: 5, note: null } }, errors: ['order.note: This field needs the notes:read scope'] });
    expect(await run('{ order(id: "o1") { id } }', p({ scopes: ['other:read'] }))).toEqual({ data: { order: null }, errors: ['order: This field needs the shop:read scope'] });
    expect(await run('{ secret }', p())).toEqual({ data: { secret: null }, errors: ['secret: This field is internal'] });
    expect(await run('mutation { cancel(id: "o1") { id } }', p({ keyType: 'readonly' }))).toEqual({ data: { cancel: null }, errors: ['cancel: This API key may only read'] });
    expect(await run('mutation { cancel(id: "o1") { id } }', p({ scopes: ['shop:write'] }))).toEqual({ data: { cancel: { id: 'o1' } }, errors: undefined });
  });

  test('entity references are checked by their type rule before they load', async () => {
    const query = '{ _entities(representations: [{ __typename: "Order", id: "o2" }]) { ... on Order { id total } } }';
    expect(await run(query, p({ scopes: ['shop:read'] }))).toEqual({ data: { _entities: [{ id: 'o2', total: 7 }] }, errors: undefined });
    loads = 0;
    expect(await run(query, p({ scopes: ['webhooks:read'] }))).toEqual({ data: { _entities: [null] }, errors: ['_entities.0: This field needs the shop:read scope'] });
    expect(loads).toBe(0);
    // One refused entity leaves the others of the batch alone.
    const mixed = '{ _entities(representations: [{ __typename: "Order", id: "o3" }, { __typename: "Shop", id: "s1" }]) { ... on Order { id } ... on Shop { id } } }';
    expect(await run(mixed, p({ scopes: ['webhooks:read'] }))).toEqual({ data: { _entities: [null, { id: 's1' }] }, errors: ['_entities.0: This field needs the shop:read scope'] });
  });
});

test('guardSchema refuses a field without a rule', () => {
  expect(() => guardSchema(buildSubgraphSchema({ typeDefs: sdl, resolvers: {} as never }), { ...rules, 'Query.secret': undefined as never })).toThrow(/Query\.secret/);
});
