// Actual cost: the static weights applied to what came back (real list lengths, nulls free).
import { buildSchema } from 'graphql';
import { createDemandControl, type DemandAccepted } from './createDemandControl.js';

const sdl = /* GraphQL */ `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query { users(limit: Int = 20): UserPage! @listSize(slicingArguments: ["limit"], sizedFields: ["data"]) node(id: ID!): Node }
  type Mutation { touch: User }
  interface Node { id: ID! }
  type UserPage { data: [User!]! }
  type User implements Node { id: ID! score: Int @cost(weight: 3) friends: [User!]! }
  type Team implements Node { id: ID! members: [User!]! }
`;
const demand = createDemandControl({ supergraphSdl: sdl, apiSchema: buildSchema(sdl) });

function accepted(query: string): DemandAccepted {
  const result = demand.check(query, { plan: 'enterprise' });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('actualCost', () => {
  test('real list lengths replace the estimate; weights apply per returned item', () => {
    const op = accepted('{ users(limit: 100) { data { id score friends { id } } } }');
    expect(op.estimatedCost).toBe(1 + 100 * (1 + 3 + 10));
    const data = { users: { data: [{ id: '1', score: 1, friends: [{ id: '2' }, { id: '3' }] }, { id: '2', score: null, friends: [] }] } };
    // UserPage 1 + user 1 (1 + score 3 + 2 friends) + user 2 (1; a null score costs nothing)
    expect(demand.actualCost(op, data)).toBe(1 + (1 + 3 + 2) + 1);
  });

  test('null objects and missing fields cost nothing; a mutation adds 10', () => {
    expect(demand.actualCost(accepted('mutation { touch { id friends { id } } }'), { touch: null })).toBe(10);
    expect(demand.actualCost(accepted('{ users { data { id } } }'), null)).toBe(0);
  });

  test('fragments on an abstract type follow __typename', () => {
    const op = accepted('{ node(id: "t") { __typename ... on Team { members { id } } ... on User { friends { id } } } }');
    expect(demand.actualCost(op, { node: { __typename: 'Team', members: [{ id: 'a' }, { id: 'b' }] } })).toBe(1 + 2);
    expect(demand.actualCost(op, { node: { __typename: 'User', friends: [{ id: 'a' }] } })).toBe(1 + 1);
  });

  test('aliases are read under their response keys', () => {
    const op = accepted('{ a: users(limit: 1) { data { id } } b: users(limit: 1) { data { id } } }');
    expect(demand.actualCost(op, { a: { data: [{ id: '1' }] }, b: { data: [] } })).toBe(2 + 1);
  });
});
