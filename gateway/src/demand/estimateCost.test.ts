// The static cost formula on a small annotated schema: list sizes from slicing arguments (literal,
// variable, variable default, argument default), assumed sizes, sized fields of a page wrapper,
// weights on fields/types/arguments, input objects, mutations, @skip/@include and fragments.
import { buildSchema } from 'graphql';
import { createDemandControl, type DemandCheck } from './createDemandControl.js';

const sdl = /* GraphQL */ `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

  type Query {
    users(page: Int = 1, limit: Int = 20): UserPage! @listSize(slicingArguments: ["limit"], sizedFields: ["data"])
    user(id: ID!): User
    search(first: Int, last: Int): [User!]! @listSize(slicingArguments: ["first", "last"])
    feed(first: Int, last: Int): [User!]! @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false, assumedSize: 7)
    tags: [String!]!
    report(filter: ReportFilter, q: String @cost(weight: 5)): Report
  }
  type Mutation { createUser(name: String!): User! }
  type UserPage { data: [User!]! pagination: Pagination! }
  type Pagination { total: Int! }
  type User {
    id: ID!
    name: String!
    metadata: [Entry!]! @listSize(assumedSize: 10)
    friends: [User!]!
    orders(limit: Int = 20): OrderPage! @listSize(slicingArguments: ["limit"], sizedFields: ["data"])
    score: Float @cost(weight: 3)
    avatar: Image
  }
  type OrderPage { data: [Order!]! }
  type Order { id: ID! user: User }
  type Entry { key: String! }
  type Image @cost(weight: 4) { url: String! }
  type Report { rows: Int! }
  input ReportFilter { from: String to: String deep: ReportFilter @cost(weight: 2) }
`;

const demand = createDemandControl({ supergraphSdl: sdl, apiSchema: buildSchema(sdl), limits: { enterprise: { maxCost: 1e12 } } });

function cost(query: string, variables?: Record<string, unknown>): number {
  const result: DemandCheck = demand.check(query, { plan: 'enterprise', variables });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.estimatedCost;
}

describe('estimateCost', () => {
  test('a page wrapper: the slicing argument sizes the `data` field, the wrapper costs 1', () => {
    // UserPage 1 + 5 × User 1 + Pagination 1
    expect(cost('{ users(limit: 5) { data { id name } pagination { total } } }')).toBe(7);
  });

  test('the slicing argument comes from a variable, a variable default or the argument default', () => {
    expect(cost('query($n: Int) { users(limit: $n) { data { id } } }', { n: 50 })).toBe(51);
    expect(cost('query($n: Int = 30) { users(limit: $n) { data { id } } }')).toBe(31);
    expect(cost('{ users { data { id } } }')).toBe(21);
  });

  test('assumedSize sizes a list without slicing arguments; an unannotated list uses the default (10)', () => {
    // User 1 + metadata 10 × Entry 1
    expect(cost('{ user(id: "u") { metadata { key } } }')).toBe(11);
    // User 1 + friends 10 × (User 1)
    expect(cost('{ user(id: "u") { friends { id } } }')).toBe(11);
    // scalars cost 0 however many
    expect(cost('{ tags }')).toBe(0);
  });

  test('nested pages multiply: the recursion User.orders ↔ Order.user', () => {
    const q = '{ users(limit: 100) { data { orders(limit: 100) { data { user { id } } } } } }';
    // UserPage 1 + 100 × (User 1 + OrderPage 1 + 100 × (Order 1 + User 1))
    expect(cost(q)).toBe(1 + 100 * (1 + 1 + 100 * 2));
  });

  test('weights: @cost on a field, on a type, on an argument; input objects cost 1 plus their fields', () => {
    expect(cost('{ user(id: "u") { score } }')).toBe(1 + 3);
    expect(cost('{ user(id: "u") { avatar { url } } }')).toBe(1 + 4);
    expect(cost('{ report(q: "x") { rows } }')).toBe(1 + 5);
    // ReportFilter 1 + deep (weight 2, an input object: its own weight replaces 1) 2
    expect(cost('{ report(filter: { from: "a", deep: { to: "b" } }) { rows } }')).toBe(1 + 1 + 2);
    expect(cost('query($f: ReportFilter) { report(filter: $f) { rows } }', { f: { from: 'a' } })).toBe(1 + 1);
  });

  test('a mutation adds 10', () => {
    expect(cost('mutation { createUser(name: "a") { id } }')).toBe(10 + 1);
  });

  test('@skip / @include with constants or variables remove a field from the estimate', () => {
    expect(cost('{ user(id: "u") { friends @skip(if: true) { id } } }')).toBe(1);
    expect(cost('query($on: Boolean!) { user(id: "u") { friends @include(if: $on) { id } } }', { on: false })).toBe(1);
    expect(cost('query($on: Boolean!) { user(id: "u") { friends @include(if: $on) { id } } }', { on: true })).toBe(11);
  });

  test('a fragment costs at every spread; the sized field keeps its size through a fragment', () => {
    const q = 'fragment F on User { friends { id } } { a: user(id: "1") { ...F } b: user(id: "2") { ...F } }';
    expect(cost(q)).toBe(2 * 11);
    expect(cost('fragment P on UserPage { data { id } } { users(limit: 3) { ...P } }')).toBe(1 + 3);
  });

  test('nested fragment spreads stay linear (memoised), not exponential', () => {
    const levels = 30;
    let doc = 'fragment F0 on User { id }\n';
    for (let i = 1; i <= levels; i++) doc += `fragment F${i} on User { ...F${i - 1} ...F${i - 1} }\n`;
    doc += `{ user(id: "u") { ...F${levels} } }`;
    expect(cost(doc)).toBe(1);
  });

  test('requireOneSlicingArgument: none or two slicing arguments are refused; when false the largest counts', () => {
    for (const q of ['{ search { id } }', '{ search(first: 2, last: 3) { id } }']) {
      const result = demand.check(q, { plan: 'enterprise' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe('SLICING_ARGUMENT_REQUIRED');
    }
    expect(cost('{ search(first: 4) { id } }')).toBe(4);
    expect(cost('{ feed(first: 2, last: 5) { id } }')).toBe(5);
    expect(cost('{ feed { id } }')).toBe(7);
  });

  test('__typename and introspection cost nothing', () => {
    expect(cost('{ __typename __schema { types { name fields { name } } } }')).toBe(0);
  });
});
