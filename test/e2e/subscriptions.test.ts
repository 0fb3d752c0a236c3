// GraphQL subscriptions through the gateway, as a real graphql-ws client uses them: on /graphql of
// the gateway's port, authenticated at connection_init, payloads resolved through the whole graph
// (an Event's order and that order's user come from commerce), filtered to the caller's account
// and mode, with the documented close codes for refusals and revocation, limits, keep-alive pings,
// and two gateways on one database each delivering every event to their own subscribers.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey, revokeApiKey } from '../../subgraphs/auth/src/store.js';
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS } from './techcorp-client.js';

let stack: Stack;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: { API_KEY_CACHE_MS: '0', SUBSCRIPTION_AUTH_RECHECK: '200ms', SUBSCRIPTIONS_PER_CONNECTION: '3', SUBSCRIPTION_CONNECTIONS_PER_ACCOUNT: '3', SUBSCRIPTION_KEEPALIVE: '300ms' },
  });
}, 120_000);

afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
  // Let the server see the closes (connections per account are counted).
  await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await stack?.stop();
});

const wsUrl = (url: string) => url.replace(/^http/, 'ws') + '/graphql';

function connect(key: string | null, url = stack.url, onClose?: (code: number, reason: string) => void): Client {
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
    on: { closed: (e) => onClose?.((e as { code: number }).code, String((e as { reason: string }).reason)) },
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  return client;
}

/** Subscribes and collects every `next` payload; resolves `ready` when the server acknowledged. */
function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: T[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const stop = client.subscribe<T>({ query, variables }, {
    next: (r) => (r.errors ? errors.push(r.errors) : results.push(r.data as T)),
    error: (e) => errors.push(e),
    complete: () => (completed = true),
  });
  return { results, errors, stop, get completed() { return completed; } };
}

async function until(check: () => boolean, ms = 10_000, what = 'condition') {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The subscription server is ready once the connection is acknowledged; give the subscribe
 * message a moment to be registered before the events it should see are written. */
const settle = () => new Promise((r) => setTimeout(r, 150));

let counter = 0;
async function createUser(key = stack.keys.live) {
  const res = await stack.request('POST', '/v2/users', { key, body: { email: `sub${Date.now()}${counter++}@example.com`, name: 'Sub Scriber' } });
  expect(res.status).toBe(201);
  return res.body as { id: string; email: string };
}

async function createOrder() {
  const user = await createUser();
  const product = await stack.request('POST', '/v2/products', { body: { name: 'Widget', sku: `SUB-${Date.now()}-${counter++}`, price: 10, currency: 'EUR', stock: 50 } });
  const order = await stack.request('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: product.body.id, quantity: 2 }], shipping_address: ADDRESS } });
  expect(order.status).toBe(201);
  return { user, order: order.body as { id: string } };
}

test('events(types) delivers the caller\'s events, resolved through the graph, and nothing else', async () => {
  const client = connect(stack.keys.live);
  const sub = collect(client, `subscription($types: [EventType!]) { feed: events(types: $types) { id type event timestamp data order { id status total user { email } } } }`, { types: ['USER_CREATED', 'ORDER_CREATED'] });
  await settle();
  await createUser(stack.keys.otherAccountLive); // another account
  await createUser(stack.keys.test); // sandbox mode
  const mine = await createUser();
  const { user, order } = await createOrder();
  await until(() => sub.results.length >= 3, 10_000, 'three events');
  await settle();
  expect(sub.errors).toEqual([]);
  expect(sub.results.map((r) => r.feed.event)).toEqual(['user.created', 'user.created', 'order.created']);
  expect(sub.results[0].feed).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'USER_CREATED', data: { id: mine.id, email: mine.email }, order: null });
  expect(sub.results[2].feed).toMatchObject({ type: 'ORDER_CREATED', data: { id: order.id }, order: { id: order.id, status: 'pending', total: 20, user: { email: user.email } } });
  expect(sub.results[0].feed.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  sub.stop();
});

test('orderUpdated(id) follows one order through its status changes', async () => {
  const { user, order } = await createOrder();
  const other = await createOrder();
  const client = connect(stack.keys.live);
  const sub = collect(client, `subscription($id: ID!) { orderUpdated(id: $id) { id status trackingNumber user { email } } }`, { id: order.id });
  await settle();
  const run = (q: string) => stack.graphql(q).then((r) => expect(r.body.errors).toBeUndefined());
  await run(`mutation { confirmPayment(id: "${other.order.id}") { id } }`);
  await run(`mutation { confirmPayment(id: "${order.id}") { id } }`);
  await run(`mutation { startProcessing(id: "${order.id}") { id } }`);
  await run(`mutation { shipOrder(id: "${order.id}", trackingNumber: "1Z999AA10123456784") { id } }`);
  // confirmed, processing, shipped (status_changed) + shipped (order.shipped)
  await until(() => sub.results.length >= 4, 10_000, 'four updates');
  expect(sub.errors).toEqual([]);
  expect(sub.results.map((r) => r.orderUpdated.status)).toEqual(['confirmed', 'processing', 'shipped', 'shipped']);
  expect(sub.results.at(-1).orderUpdated).toEqual({ id: order.id, status: 'shipped', trackingNumber: '1Z999AA10123456784', user: { email: user.email } });
  sub.stop();
});

test('queries also run over the socket; invalid subscriptions are errors', async () => {
  const client = connect(stack.keys.live);
  const q = collect(client, '{ webhooks { id } }');
  await until(() => q.completed);
  expect(q.results).toEqual([{ webhooks: [] }]);
  const bad = collect(client, 'subscription { events { nope } }');
  await until(() => bad.errors.length > 0);
  expect(JSON.stringify(bad.errors)).toContain('nope');
});

test('connection_init without a valid key closes 4401; a revoked key closes the open socket 4401', async () => {
  const codes: number[] = [];
  connect(null, stack.url, (code) => codes.push(code));
  connect('tc_live_sk_doesnotexist000000000000', stack.url, (code) => codes.push(code));
  await until(() => codes.length === 2);
  expect(codes).toEqual([4401, 4401]);

  const created = await createApiKey(stack.db, { accountId: stack.accounts.main, type: 'live', plan: 'enterprise' });
  const closed: number[] = [];
  const client = connect(created.secret, stack.url, (code) => closed.push(code));
  const sub = collect(client, 'subscription { events { id } }');
  await settle();
  await createUser();
  await until(() => sub.results.length === 1);
  await revokeApiKey(stack.db, stack.accounts.main, created.doc._id);
  await until(() => closed.length === 1, 5000, 'close after revocation');
  expect(closed).toEqual([4401]);
});

test('limits: subscriptions per connection and connections per account (4429)', async () => {
  const key = stack.keys.otherAccountLive;
  const codes: number[] = [];
  const first = connect(key);
  const subs = [1, 2, 3, 4].map(() => collect(first, 'subscription { events { id } }'));
  await until(() => subs[3]!.errors.length > 0);
  expect(JSON.stringify(subs[3]!.errors)).toContain('RATE_LIMITED');
  expect(subs.slice(0, 3).every((s) => s.errors.length === 0)).toBe(true);
  connect(key);
  connect(key);
  await settle();
  connect(key, stack.url, (code) => codes.push(code));
  await until(() => codes.length === 1);
  expect(codes).toEqual([4429]);
});

test('the server pings to keep the connection alive', async () => {
  const ws = new WebSocket(wsUrl(stack.url), 'graphql-transport-ws');
  let pings = 0;
  ws.on('ping', () => pings++);
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${stack.keys.live}` } }));
  await until(() => pings >= 2, 3000, 'two pings');
  ws.close();
});

test('two gateways on one database each deliver every event to their own subscribers', async () => {
  const second = await stack.startGateway();
  try {
    const a = collect(connect(stack.keys.readonly), 'subscription { events(types: [USER_CREATED]) { data } }');
    const b = collect(connect(stack.keys.readonly, second.url), 'subscription { events(types: [USER_CREATED]) { data } }');
    await settle();
    const users = [await createUser(), await createUser(), await createUser()];
    await until(() => a.results.length === 3 && b.results.length === 3, 10_000, 'both gateways');
    const ids = users.map((u) => u.id);
    expect(a.results.map((r) => r.events.data.id)).toEqual(ids);
    expect(b.results.map((r) => r.events.data.id)).toEqual(ids);
    a.stop();
    b.stop();
  } finally {
    for (const c of clients.splice(0)) await c.dispose();
    await second.stop();
  }
}, 60_000);
