// Ordinary GraphQL client mistakes are 4xx answers with their own code, never a 500
// INTERNAL_ERROR (clients retry 5xx; these will never succeed).
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.stop());

const post = (body: unknown) => stack.request('POST', '/graphql', { body });

test.each([
  ['several operations without operationName', { query: 'query A { __typename } query B { __typename }' }, 400, 'BAD_REQUEST'],
  ['an unknown operationName', { query: 'query A { __typename }', operationName: 'Nope' }, 400, 'BAD_REQUEST'],
  ['a subscription over HTTP POST', { query: 'subscription { events { id } }' }, 400, 'BAD_REQUEST'],
  ['an unknown persisted-query hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, 200, 'PERSISTED_QUERY_NOT_FOUND'],
])('%s', async (_name, body, status, code) => {
  const res = await post(body);
  expect({ status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(res.body.errors[0].message).not.toBe('Internal server error');
});

test('a batched request (a JSON array of operations) is refused whole with 400, nothing runs', async () => {
  const res = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  expect(res.body.errors[0].message).toMatch(/batch/i);
});
