// Public REST routes (`RestRoute.public`): answered without a credential, under the gateway's
// service principal, and rate-limited per client address (X-Forwarded-For counts only from a
// trusted proxy, so a client cannot buy itself a fresh budget by writing the header).
import type { RestApi } from '../../gateway/src/rest/RestRoute.js';
import { restApis } from '../../gateway/src/rest/apis.js';
import { techcorpV2 } from '../../gateway/src/rest/techcorp-v2/index.js';
import { startStack, type Stack } from '../support/startStack.js';

const publicApi: RestApi = {
  ...techcorpV2,
  name: 'public-test',
  prefixes: ['/public-test'],
  hosts: [],
  routes: [
    { method: 'GET', path: '/ping', public: true, document: 'query PublicPing { __typename }', operationName: 'PublicPing', variables: () => ({}), respond: (data) => ({ status: 200, body: { ok: true, typename: data.__typename } }) },
    { method: 'GET', path: '/private', document: 'query PrivatePing { __typename }', operationName: 'PrivatePing', variables: () => ({}), respond: () => ({ status: 200, body: { ok: true } }) },
  ],
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ restApis: [...restApis, publicApi] });
}, 120_000);
afterAll(async () => stack?.stop());

test('a public route answers without Authorization; its neighbour without one is 401', async () => {
  const open = await stack.request('GET', '/public-test/ping', { key: null });
  expect(open.status).toBe(200);
  expect(open.body).toEqual({ ok: true, typename: 'Query' });
  expect(open.headers.get('x-ratelimit-limit')).toBe('60');
  const closed = await stack.request('GET', '/public-test/private', { key: null });
  expect(closed.status).toBe(401);
  expect(closed.body.error.code).toBe('UNAUTHORIZED');
});

test('public routes are limited per client address: the 61st in a minute is 429, X-Forwarded-For from an untrusted peer changes nothing', async () => {
  // Bounded at two minutes' budgets, so a minute rolling over mid-loop cannot hide the refusal.
  const statuses: number[] = [];
  const remaining: (string | null)[] = [];
  let last;
  for (let i = 0; i < 125 && !statuses.includes(429); i++) {
    last = await stack.request('GET', '/public-test/ping', { key: null, headers: { 'x-forwarded-for': `198.51.100.${i}` } });
    statuses.push(last.status);
    remaining.push(last.headers.get('x-ratelimit-remaining'));
  }
  expect(statuses).toContain(429);
  // The request before the refusal had spent the address's last unit.
  expect(remaining[remaining.length - 2]).toBe('0');
  expect(last!.body.error.code).toBe('RATE_LIMITED');
  expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
  // The address's budget is its own: an API key's budget is untouched.
  expect((await stack.request('GET', '/public-test/private')).status).toBe(200);
});
