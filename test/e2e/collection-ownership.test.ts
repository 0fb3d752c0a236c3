// Each subgraph is the only reader and writer of its collections, and the gateway and the webhook
// dispatcher touch only their own: the stack runs with one driver client per part, every command
// is attributed to its part, and after a tour of every surface (REST, GraphQL, sign-in, webhooks)
// no collection may have been touched by two parts — except the platform's events outbox, which
// every domain appends to in its own transactions and its consumers read.
import type { CommandStartedEvent } from 'mongodb';
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS } from './techcorp-client.js';

/** Collections shared by design: the outbox, and its consumers' resume tokens. */
const SHARED = new Set(['events', 'consumer_offsets']);
/** The webhook dispatcher is the observability domain's worker process (its code lives there). */
const OWNER_OF_PART: Record<string, string> = { dispatcher: 'observability' };

const touched = new Map<string, Set<string>>();
let stack: Stack;

function record(part: string, event: CommandStartedEvent): void {
  const target = (event.command as Record<string, unknown>)[event.commandName];
  const collection = event.commandName === 'getMore' ? (event.command as { collection?: unknown }).collection : target;
  if (typeof collection !== 'string') return;
  if (!touched.has(collection)) touched.set(collection, new Set());
  touched.get(collection)!.add(OWNER_OF_PART[part] ?? part);
}

beforeAll(async () => {
  stack = await startStack({ commandMonitor: record, env: { WEBHOOK_ALLOW_LOOPBACK: '1' } });
}, 120_000);

afterAll(() => stack?.stop());

test('every collection is touched by one part only (the outbox is shared by design)', async () => {
  const ok = (status: number) => expect([200, 201, 204]).toContain(status);
  // commerce, through REST and GraphQL
  const user = await stack.request('POST', '/v2/users', { body: { email: `owner-${Date.now()}@example.com`, name: 'Owner' } });
  ok(user.status);
  const product = await stack.request('POST', '/v2/products', { body: { name: 'Owned', sku: `OWN-${Date.now()}`, price: 10, currency: 'USD', stock: 5 } });
  ok(product.status);
  const order = await stack.request('POST', '/v2/orders', { body: { user_id: user.body.id, items: [{ product_id: product.body.id, quantity: 1 }], shipping_address: ADDRESS } });
  ok(order.status);
  ok((await stack.request('GET', '/v2/orders')).status);
  ok((await stack.graphql('{ orders(limit: 5) { data { id user { email } items { product { name } } } } }')).status);
  // observability: webhooks and events
  const hook = await stack.request('POST', '/v2/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['order.created'] } });
  ok(hook.status);
  ok((await stack.request('GET', `/v2/webhooks/${hook.body.id}/deliveries`)).status);
  ok((await stack.graphql('{ events(limit: 5) { id type } }')).status);
  // auth: keys, people, sign-in and refresh
  ok((await stack.graphql('{ viewer { id } apiKeys { id } }')).status);
  const email = `person-${Date.now()}@example.com`;
  const password = 'Correct-Horse-Battery-9';
  ok((await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: email, p: password })).status);
  const login = await stack.request('POST', '/v1/auth/login', { key: null, body: { email, password } });
  ok(login.status);
  ok((await stack.request('GET', '/v2/users', { key: login.body.access_token })).status);
  ok((await stack.request('POST', '/v1/auth/refresh', { key: null, body: { refresh_token: login.body.refresh_token } })).status);
  ok((await stack.request('GET', '/.well-known/jwks.json', { key: null })).status);

  const crossings = [...touched].filter(([collection, parts]) => !SHARED.has(collection) && parts.size > 1).map(([collection, parts]) => `${collection}: ${[...parts].sort().join(', ')}`);
  expect(crossings).toEqual([]);
  // The tour reached every part, so the check above had something to see.
  const parts = new Set([...touched.values()].flatMap((p) => [...p]));
  for (const part of ['auth', 'commerce', 'observability', 'gateway']) expect(parts).toContain(part);
}, 120_000);
