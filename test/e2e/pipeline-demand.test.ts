// Demand control in the request pipeline: the cost of a GraphQL answer is in `extensions.cost`,
// and an operation over the plan's bounds is refused with 400 and its code before anything runs.
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.stop());

test('a GraphQL answer carries its estimated and actual cost and the plan maximum', async () => {
  const res = await stack.graphql('{ __typename }', {}, { key: stack.keys.free });
  expect(res.status).toBe(200);
  expect(res.body.extensions.cost).toEqual({ estimated: 0, actual: 0, max: 2000 });
});

test('a query nested past the free plan is refused with 400 QUERY_TOO_DEEP', async () => {
  // user → orders → data → user → … : 4 levels a round, past the free plan's depth of 10.
  let inner = 'id';
  for (let i = 0; i < 4; i++) inner = `orders(limit: 1) { data { user { ${inner} } } }`;
  const deep = `{ user(id: "usr_none") { ${inner} } }`;
  const res = await stack.graphql(deep, {}, { key: stack.keys.free });
  expect(res.status).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
});
