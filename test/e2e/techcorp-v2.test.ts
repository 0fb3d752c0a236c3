// TechCorp API v2.0.3 (seed 003) over HTTP, as a legacy client uses it: every endpoint, every
// documented error, keys (live, test, readonly, another account's), headers.
import http from 'node:http';
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS, expectError, restClient, unique, type Call } from './techcorp-client.js';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let stack: Stack;
let api: Call;

beforeAll(async () => {
  stack = await startStack();
  api = restClient(stack.url, stack.keys.live);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function newUser(overrides: Record<string, unknown> = {}, call: Call = api) {
  const reply = await call('POST', '/v2/users', { body: { email: `${unique('u')}@example.com`, name: 'Test User', ...overrides } });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; email: string };
}

async function newProduct(overrides: Record<string, unknown> = {}, call: Call = api) {
  const reply = await call('POST', '/v2/products', {
    body: { name: 'Standard Widget', sku: unique('SKU-'), price: 19.99, currency: 'USD', category: 'widgets', stock: 10, ...overrides },
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; stock: number; sku: string };
}

async function newOrder(userId: string, items: { product_id: string; quantity: number }[], extra: Record<string, unknown> = {}, call: Call = api) {
  return call('POST', '/v2/orders', { body: { user_id: userId, items, shipping_address: ADDRESS, ...extra } });
}

describe('users', () => {
  it('creates a user with the documented shape and defaults', async () => {
    const email = `${unique('bob')}@example.com`;
    const reply = await api('POST', '/v2/users', { body: { email, name: 'Bob Dupont', plan: 'starter', metadata: { company: 'Acme Corp', source: 'referral' } } });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^usr_/),
      email,
      name: 'Bob Dupont',
      status: 'active',
      plan: 'starter',
      created_at: expect.stringMatching(ISO_SECONDS),
      metadata: { company: 'Acme Corp', source: 'referral' },
    });
    const plain = await newUser();
    const got = await api('GET', `/v2/users/${plain.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: plain.id, plan: 'free', status: 'active', metadata: {} });
  });

  it('answers every documented validation error', async () => {
    expectError(await api('POST', '/v2/users', { body: { name: 'No Email' } }), 400, 'MISSING_REQUIRED_FIELD', 'email');
    expectError(await api('POST', '/v2/users', { body: { email: 'not-an-email', name: 'Bad Email' } }), 400, 'INVALID_EMAIL', 'email');
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('n')}@example.com` } }), 400, 'MISSING_REQUIRED_FIELD', 'name');
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('n')}@example.com`, name: 'A' } }), 400, 'INVALID_REQUEST', 'name');
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('n')}@example.com`, name: 'x'.repeat(101) } }), 400, 'INVALID_REQUEST', 'name');
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('m')}@example.com`, name: 'Meta', metadata: eleven } }), 400, 'INVALID_REQUEST', 'metadata');
    const longKey = { ['k'.repeat(41)]: 'v' };
    expect((await api('POST', '/v2/users', { body: { email: `${unique('m')}@example.com`, name: 'Meta', metadata: longKey } })).status).toBe(400);
    expect((await api('POST', '/v2/users', { body: { email: `${unique('m')}@example.com`, name: 'Meta', metadata: { ['k'.repeat(40)]: 'v' } } })).status).toBe(201);
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('p')}@example.com`, name: 'Plan', plan: 'gold' } }), 400, 'INVALID_REQUEST', 'plan');
  });

  it('rejects malformed JSON, wrong types and unknown fields, naming the field', async () => {
    expectError(await api('POST', '/v2/users', { raw: '{"email": "x@example.com",' }), 400, 'INVALID_REQUEST');
    expectError(await api('POST', '/v2/users', { body: { email: 42, name: 'Typed' } }), 400, 'INVALID_REQUEST', 'email');
    expectError(await api('POST', '/v2/users', { body: { email: `${unique('f')}@example.com`, name: 'Field', role: 'admin' } }), 400, 'INVALID_REQUEST', 'role');
  });

  it('keeps emails unique per account, case-insensitively', async () => {
    const user = await newUser();
    expectError(await api('POST', '/v2/users', { body: { email: user.email, name: 'Twin' } }), 409, 'CONFLICT', 'email');
    expectError(await api('POST', '/v2/users', { body: { email: user.email.toUpperCase(), name: 'Twin' } }), 409, 'CONFLICT', 'email');
    // Another account may use the same address.
    const other = restClient(stack.url, stack.keys.otherAccountLive);
    expect((await other('POST', '/v2/users', { body: { email: user.email, name: 'Elsewhere' } })).status).toBe(201);
  });

  it('lists with page, limit, status, sort and order', async () => {
    const names = ['Zed Pagination', 'Amy Pagination', 'Max Pagination'];
    for (const name of names) await newUser({ name, status: 'pending' });
    const first = await api('GET', '/v2/users?limit=2&page=1');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.pagination).toEqual({ page: 1, limit: 2, total: expect.any(Number), pages: Math.ceil(first.body.pagination.total / 2) });
    const second = await api('GET', '/v2/users?limit=2&page=2');
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
    const pending = await api('GET', '/v2/users?status=pending&sort=name&order=asc&limit=100');
    expect(pending.body.data.every((u: { status: string }) => u.status === 'pending')).toBe(true);
    const ours = pending.body.data.map((u: { name: string }) => u.name).filter((n: string) => n.endsWith('Pagination'));
    expect(ours).toEqual(['Amy Pagination', 'Max Pagination', 'Zed Pagination']);
    const newestFirst = await api('GET', '/v2/users?limit=100');
    const dates = newestFirst.body.data.map((u: { created_at: string }) => u.created_at);
    expect([...dates].sort().reverse()).toEqual(dates);
    expectError(await api('GET', '/v2/users?limit=101'), 400, 'INVALID_REQUEST', 'limit');
    expectError(await api('GET', '/v2/users?status=deleted'), 400, 'INVALID_REQUEST', 'status');
    expectError(await api('GET', '/v2/users?order=sideways'), 400, 'INVALID_REQUEST', 'order');
  });

  it('answers 404 RESOURCE_NOT_FOUND for an unknown user', async () => {
    const reply = await api('GET', '/v2/users/usr_doesnotexist0');
    expectError(reply, 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expect(reply.body.error.message).toBe('User usr_doesnotexist0 does not exist');
    expect(reply.body.error.request_id).toBe(reply.headers.get('x-request-id'));
  });

  it('updates only the given fields and never the email', async () => {
    const user = await newUser({ plan: 'pro', metadata: { a: '1' } });
    const patched = await api('PATCH', `/v2/users/${user.id}`, { body: { name: 'Robert Dupont', status: 'inactive' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: user.id, email: user.email, name: 'Robert Dupont', status: 'inactive', plan: 'pro', metadata: { a: '1' } });
    expectError(await api('PATCH', `/v2/users/${user.id}`, { body: { email: 'new@example.com' } }), 400, 'INVALID_REQUEST', 'email');
    expectError(await api('PATCH', `/v2/users/${user.id}`, { body: { name: 'Z' } }), 400, 'INVALID_REQUEST', 'name');
    expectError(await api('PATCH', '/v2/users/usr_doesnotexist0', { body: { name: 'Nobody' } }), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expect((await api('GET', `/v2/users/${user.id}`)).body.name).toBe('Robert Dupont');
  });

  it('soft-deletes with 204: hidden at once, email free again', async () => {
    const user = await newUser();
    const deleted = await api('DELETE', `/v2/users/${user.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectError(await api('GET', `/v2/users/${user.id}`), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    const list = await api('GET', '/v2/users?limit=100');
    expect(list.body.data.map((u: { id: string }) => u.id)).not.toContain(user.id);
    expectError(await api('DELETE', `/v2/users/${user.id}`), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expectError(await api('PATCH', `/v2/users/${user.id}`, { body: { name: 'Ghost' } }), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expect((await api('POST', '/v2/users', { body: { email: user.email, name: 'Reborn' } })).status).toBe(201);
    // Kept for 30 days, then purged by the TTL index on purgeAt.
    const stored = await stack.db.collection('commerce_users').findOne({ _id: user.id as never });
    expect(stored?.deletedAt).toBeInstanceOf(Date);
    const days = ((stored?.purgeAt as Date).getTime() - (stored?.deletedAt as Date).getTime()) / 86_400_000;
    expect(days).toBe(30);
  });
});

describe('products', () => {
  it('creates a product with the documented shape', async () => {
    const sku = unique('WGT-STD-');
    const reply = await api('POST', '/v2/products', {
      body: { name: 'Standard Widget', sku, price: 19.99, currency: 'USD', category: 'widgets', stock: 500, description: 'Our most popular widget for everyday use.' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^prd_/),
      name: 'Standard Widget',
      sku,
      price: 19.99,
      currency: 'USD',
      category: 'widgets',
      stock: 500,
      status: 'active',
      description: 'Our most popular widget for everyday use.',
      created_at: expect.stringMatching(ISO_SECONDS),
    });
  });

  it('answers the documented product errors', async () => {
    const product = await newProduct();
    expectError(await api('POST', '/v2/products', { body: { name: 'Dup', sku: product.sku, price: 1, currency: 'USD' } }), 409, 'SKU_ALREADY_EXISTS', 'sku');
    expectError(await api('POST', '/v2/products', { body: { name: 'Free', sku: unique('S'), price: 0, currency: 'USD' } }), 400, 'INVALID_REQUEST', 'price');
    expectError(await api('POST', '/v2/products', { body: { name: 'Neg', sku: unique('S'), price: -5, currency: 'USD' } }), 400, 'INVALID_REQUEST', 'price');
    expectError(await api('POST', '/v2/products', { body: { name: 'Cur', sku: unique('S'), price: 5, currency: 'XYZ' } }), 400, 'INVALID_CURRENCY', 'currency');
    expectError(await api('POST', '/v2/products', { body: { name: 'Cur', sku: unique('S'), price: 5, currency: 'usd' } }), 400, 'INVALID_CURRENCY', 'currency');
    expectError(await api('POST', '/v2/products', { body: { name: 'Typed', sku: unique('S'), price: '5', currency: 'USD' } }), 400, 'INVALID_REQUEST', 'price');
    expectError(await api('POST', '/v2/products', { body: { name: 'NoSku', price: 5, currency: 'USD' } }), 400, 'MISSING_REQUIRED_FIELD', 'sku');
    // The same SKU is fine in another account.
    const other = restClient(stack.url, stack.keys.otherAccountLive);
    expect((await other('POST', '/v2/products', { body: { name: 'Dup elsewhere', sku: product.sku, price: 1, currency: 'USD' } })).status).toBe(201);
  });

  it('filters by category, stock, price range and words in name or description', async () => {
    const cat = unique('cat-').toLowerCase();
    const cheap = await newProduct({ category: cat, price: 5, name: 'Tiny sprocket', description: 'Fits (most) bikes' });
    const dear = await newProduct({ category: cat, price: 500, name: 'Golden sprocket', description: 'Shiny' });
    const empty = await newProduct({ category: cat, price: 50, stock: 0, name: 'Missing cog' });
    const ids = async (query: string) => (await api('GET', `/v2/products?category=${cat}&${query}`)).body.data.map((p: { id: string }) => p.id).sort();
    expect(await ids('')).toEqual([cheap.id, dear.id, empty.id].sort());
    expect(await ids('in_stock=true')).toEqual([cheap.id, dear.id].sort());
    expect(await ids('in_stock=false')).toEqual([empty.id]);
    expect(await ids('min_price=5&max_price=50')).toEqual([cheap.id, empty.id].sort());
    expect(await ids('min_price=51')).toEqual([dear.id]);
    expect(await ids('q=SPROCKET')).toEqual([cheap.id, dear.id].sort());
    expect(await ids('q=golden%20sprocket')).toEqual([dear.id]);
    expect(await ids(`q=${encodeURIComponent('(most)')}`)).toEqual([cheap.id]);
    expect(await ids(`q=${encodeURIComponent('.*')}`)).toEqual([]);
    expectError(await api('GET', '/v2/products?in_stock=maybe'), 400, 'INVALID_REQUEST', 'in_stock');
    expectError(await api('GET', '/v2/products?min_price=cheap'), 400, 'INVALID_REQUEST', 'min_price');
  });

  it('adds, subtracts and sets stock, never below zero', async () => {
    const product = await newProduct({ stock: 10 });
    const path = `/v2/products/${product.id}/stock`;
    const added = await api('POST', path, { body: { operation: 'add', quantity: 100, reason: 'restocking' } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: product.id, stock: 110 });
    expect((await api('POST', path, { body: { operation: 'subtract', quantity: 10 } })).body.stock).toBe(100);
    expect((await api('POST', path, { body: { operation: 'set', quantity: 7 } })).body.stock).toBe(7);
    expectError(await api('POST', path, { body: { operation: 'subtract', quantity: 8 } }), 422, 'INSUFFICIENT_STOCK');
    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(7);
    expectError(await api('POST', path, { body: { operation: 'multiply', quantity: 2 } }), 400, 'INVALID_REQUEST', 'operation');
    expectError(await api('POST', path, { body: { operation: 'add', quantity: 1.5 } }), 400, 'INVALID_REQUEST', 'quantity');
    expectError(await api('POST', '/v2/products/prd_doesnotexist0/stock', { body: { operation: 'add', quantity: 1 } }), 404, 'RESOURCE_NOT_FOUND', 'product_id');
  });

  it('writes product.out_of_stock in the outbox when stock reaches 0', async () => {
    const product = await newProduct({ stock: 3 });
    await api('POST', `/v2/products/${product.id}/stock`, { body: { operation: 'subtract', quantity: 3 } });
    const events = await stack.db.collection('events').find({ type: 'product.out_of_stock', 'data.id': product.id }).toArray();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ id: product.id, stock: 0, sku: product.sku });
  });
});

describe('orders', () => {
  it('creates an order with a computed total and reserves the stock', async () => {
    const user = await newUser();
    const product = await newProduct({ price: 44.99, currency: 'EUR', stock: 5 });
    const reply = await newOrder(user.id, [{ product_id: product.id, quantity: 2 }], { currency: 'EUR' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^ord_/),
      status: 'pending',
      user_id: user.id,
      total: 89.98,
      currency: 'EUR',
      items: [{ product_id: product.id, quantity: 2, unit_price: 44.99, subtotal: 89.98 }],
      shipping_address: { line1: '123 Main Street', city: 'Paris', postal_code: '75001', country: 'FR' },
      created_at: expect.stringMatching(ISO_SECONDS),
    });
    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(3);
    const got = await api('GET', `/v2/orders/${reply.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(reply.body);
    const created = await stack.db.collection('events').findOne({ type: 'order.created', 'data.id': reply.body.id });
    expect(created?.data).toMatchObject({ id: reply.body.id, total: 89.98, user_id: user.id });
  });

  it('sums cents exactly', async () => {
    const user = await newUser();
    const a = await newProduct({ price: 0.1, stock: 100 });
    const b = await newProduct({ price: 0.2, stock: 100 });
    const reply = await newOrder(user.id, [{ product_id: a.id, quantity: 1 }, { product_id: b.id, quantity: 1 }]);
    expect(reply.body.total).toBe(0.3);
  });

  it('changes nothing when any item lacks stock', async () => {
    const user = await newUser();
    const plenty = await newProduct({ stock: 10 });
    const scarce = await newProduct({ stock: 1 });
    const eventsBefore = await stack.db.collection('events').countDocuments();
    const reply = await newOrder(user.id, [{ product_id: plenty.id, quantity: 4 }, { product_id: scarce.id, quantity: 2 }]);
    expectError(reply, 422, 'INSUFFICIENT_STOCK', 'items[1].quantity');
    expect((await api('GET', `/v2/products/${plenty.id}`)).body.stock).toBe(10);
    expect((await api('GET', `/v2/products/${scarce.id}`)).body.stock).toBe(1);
    expect((await api('GET', `/v2/orders?user_id=${user.id}`)).body.data).toEqual([]);
    expect(await stack.db.collection('events').countDocuments()).toBe(eventsBefore);
  });

  it('answers the documented order validation errors', async () => {
    const user = await newUser();
    const product = await newProduct();
    expectError(await newOrder('usr_doesnotexist0', [{ product_id: product.id, quantity: 1 }]), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expectError(await newOrder(user.id, [{ product_id: 'prd_doesnotexist0', quantity: 1 }]), 404, 'RESOURCE_NOT_FOUND', 'items[0].product_id');
    expectError(await newOrder(user.id, [{ product_id: product.id, quantity: 0 }]), 400, 'INVALID_REQUEST', 'items[0].quantity');
    expectError(await newOrder(user.id, []), 400, 'MISSING_REQUIRED_FIELD', 'items');
    expectError(await newOrder(user.id, [{ product_id: product.id, quantity: 1 }], { currency: 'ABC' }), 400, 'INVALID_CURRENCY', 'currency');
    expectError(await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: product.id, quantity: 1 }] } }), 400, 'MISSING_REQUIRED_FIELD', 'shipping_address');
    expectError(
      await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: product.id, quantity: 1 }], shipping_address: { ...ADDRESS, city: undefined } } }),
      400,
      'MISSING_REQUIRED_FIELD',
      'shipping_address.city',
    );
    const unknown = await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: product.id, quantity: 1, gift: true }], shipping_address: ADDRESS } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toMatch(/gift/);
    expectError(await api('GET', '/v2/orders/ord_doesnotexist0'), 404, 'RESOURCE_NOT_FOUND', 'order_id');
  });

  it('lists orders by user, and the deprecated route still answers with headers', async () => {
    const user = await newUser();
    const product = await newProduct({ stock: 10 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newOrder(user.id, [{ product_id: product.id, quantity: 1 }])).body.id);
    const list = await api('GET', `/v2/orders?user_id=${user.id}&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.pagination).toEqual({ page: 1, limit: 2, total: 3, pages: 2 });
    expect(list.body.data.every((o: { user_id: string }) => o.user_id === user.id)).toBe(true);
    const old = await api('GET', `/v2/users/${user.id}/orders?limit=2`);
    expect(old.status).toBe(200);
    expect(old.body).toEqual(list.body);
    expect(old.headers.get('deprecation')).toBeTruthy();
    expect(old.headers.get('link')).toContain(`/v2/orders?user_id=${user.id}`);
    expectError(await api('GET', '/v2/users/usr_doesnotexist0/orders'), 404, 'RESOURCE_NOT_FOUND', 'user_id');
  });

  it('cancels from pending or confirmed only, returning the stock', async () => {
    const user = await newUser();
    const product = await newProduct({ stock: 5 });
    const order = (await newOrder(user.id, [{ product_id: product.id, quantity: 2 }])).body;
    const cancelled = await api('POST', `/v2/orders/${order.id}/cancel`, { body: { reason: 'customer_request' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: order.id, status: 'cancelled', cancellation_reason: 'customer_request' });
    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(5);
    expectError(await api('POST', `/v2/orders/${order.id}/cancel`, { body: { reason: 'again' } }), 422, 'ORDER_NOT_CANCELLABLE');
    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(5);
    const changed = await stack.db.collection('events').findOne({ type: 'order.status_changed', 'data.id': order.id });
    expect(changed?.data).toMatchObject({ status: 'cancelled', previous_status: 'pending' });
    // Without a body at all.
    const second = (await newOrder(user.id, [{ product_id: product.id, quantity: 1 }])).body;
    expect((await api('POST', `/v2/orders/${second.id}/cancel`)).status).toBe(200);
    expectError(await api('POST', '/v2/orders/ord_doesnotexist0/cancel', { body: {} }), 404, 'RESOURCE_NOT_FOUND', 'order_id');
  });
});

describe('transport', () => {
  it('refuses an oversized body with 400 and writes nothing', async () => {
    const email = `${unique('big')}@example.com`;
    const reply = await api('POST', '/v2/users', { body: { email, name: 'Big', metadata: { note: 'x'.repeat(2 * 1_048_576) } } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('INVALID_REQUEST');
    expect(await stack.db.collection('commerce_users').countDocuments({ email })).toBe(0);
  });

  it('serves the API under its documented host, so clients only repoint DNS', async () => {
    const { port } = new URL(stack.url);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v2/users?limit=1', headers: { host: 'api.techcorp.io', authorization: `Bearer ${stack.keys.live}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).pagination.limit).toBe(1);
  });
});

describe('keys and accounts', () => {
  it('refuses a missing or unknown key with 401 in the documented format', async () => {
    expectError(await api('GET', '/v2/users', { key: undefined }), 401, 'UNAUTHORIZED');
    expectError(await api('GET', '/v2/users', { key: 'tc_live_sk_notarealkey000000000' }), 401, 'UNAUTHORIZED');
  });

  it('puts rate-limit headers and a request id on every response', async () => {
    for (const reply of [await api('GET', '/v2/users'), await api('GET', '/v2/users/usr_doesnotexist0')]) {
      expect(Number(reply.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
      expect(reply.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(Number(reply.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
      expect(Number(reply.headers.get('x-ratelimit-reset'))).toBeLessThan(Date.now() / 1000 + 86_401);
      expect(reply.headers.get('x-ratelimit-window')).toMatch(/^\d+$/);
      expect(reply.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('lets a readonly key read but not write', async () => {
    const ro = restClient(stack.url, stack.keys.readonly);
    const user = await newUser();
    expect((await ro('GET', `/v2/users/${user.id}`)).status).toBe(200);
    expect((await ro('GET', '/v2/products')).status).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', '/v2/users', { email: `${unique('ro')}@example.com`, name: 'Readonly' }],
      ['PATCH', `/v2/users/${user.id}`, { name: 'Readonly' }],
      ['DELETE', `/v2/users/${user.id}`, undefined],
      ['POST', '/v2/products', { name: 'RO', sku: unique('RO'), price: 1, currency: 'USD' }],
      ['POST', '/v2/orders', { user_id: user.id, items: [], shipping_address: ADDRESS }],
    ];
    for (const [method, path, body] of writes) expectError(await ro(method, path, { body }), 403, 'FORBIDDEN');
    expect((await api('GET', `/v2/users/${user.id}`)).body.name).toBe('Test User');
  });

  it('keeps test-key sandbox data and live data apart', async () => {
    const test = restClient(stack.url, stack.keys.test);
    const live = await newUser();
    const sandbox = await newUser({}, test);
    expectError(await test('GET', `/v2/users/${live.id}`), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    expectError(await api('GET', `/v2/users/${sandbox.id}`), 404, 'RESOURCE_NOT_FOUND', 'user_id');
    const testIds = (await test('GET', '/v2/users?limit=100')).body.data.map((u: { id: string }) => u.id);
    expect(testIds).toContain(sandbox.id);
    expect(testIds).not.toContain(live.id);
    // The same email may exist once in live and once in the sandbox.
    expect((await test('POST', '/v2/users', { body: { email: live.email, name: 'Sandbox twin' } })).status).toBe(201);
  });

  it('treats every id of another account as nonexistent', async () => {
    const other = restClient(stack.url, stack.keys.otherAccountLive);
    const user = await newUser();
    const product = await newProduct({ stock: 5 });
    const order = (await newOrder(user.id, [{ product_id: product.id, quantity: 1 }])).body;
    const otherUser = await newUser({}, other);
    const otherProduct = await newProduct({}, other);
    const checks: [string, string, unknown, string][] = [
      ['GET', `/v2/users/${user.id}`, undefined, 'user_id'],
      ['PATCH', `/v2/users/${user.id}`, { name: 'Hijack' }, 'user_id'],
      ['DELETE', `/v2/users/${user.id}`, undefined, 'user_id'],
      ['GET', `/v2/users/${user.id}/orders`, undefined, 'user_id'],
      ['GET', `/v2/products/${product.id}`, undefined, 'product_id'],
      ['POST', `/v2/products/${product.id}/stock`, { operation: 'set', quantity: 0 }, 'product_id'],
      ['GET', `/v2/orders/${order.id}`, undefined, 'order_id'],
      ['POST', `/v2/orders/${order.id}/cancel`, { reason: 'hijack' }, 'order_id'],
      ['POST', '/v2/orders', { user_id: user.id, items: [{ product_id: otherProduct.id, quantity: 1 }], shipping_address: ADDRESS }, 'user_id'],
      ['POST', '/v2/orders', { user_id: otherUser.id, items: [{ product_id: product.id, quantity: 1 }], shipping_address: ADDRESS }, 'items[0].product_id'],
    ];
    for (const [method, path, body, param] of checks) expectError(await other(method, path, { body }), 404, 'RESOURCE_NOT_FOUND', param);
    expect((await other('GET', `/v2/orders?user_id=${user.id}`)).body.data).toEqual([]);
    // Nothing changed for the owner.
    expect((await api('GET', `/v2/users/${user.id}`)).body.name).toBe('Test User');
    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(4);
    expect((await api('GET', `/v2/orders/${order.id}`)).body.status).toBe('pending');
  });
});
