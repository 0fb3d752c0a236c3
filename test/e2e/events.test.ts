// The outbox as a user of the graph sees it: a change and its event commit together (a refused
// change writes no event), events carry the account and mode of the change and are visible only
// to them, and the README documents every event of the catalogue.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_TYPES } from '../../platform/src/events/catalogue.js';
import { repoRoot } from '../../app/src/compose.js';
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS } from './techcorp-client.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const recent = async (key: string, types?: string[]) => {
  const res = await stack.graphql(`query($types: [EventType!]) { events(types: $types, limit: 50) { id type event timestamp data } }`, { types }, { key });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.events as { id: string; type: string; event: string; timestamp: string; data: Record<string, unknown> }[];
};

test('a change and its event commit together; a refused change writes none', async () => {
  const user = await stack.request('POST', '/v2/users', { body: { email: `ev${Date.now()}@example.com`, name: 'Event User' } });
  const product = await stack.request('POST', '/v2/products', { body: { name: 'Last One', sku: `EV-${Date.now()}`, price: 5, currency: 'EUR', stock: 1 } });
  const before = await recent(stack.keys.live, ['ORDER_CREATED', 'PRODUCT_OUT_OF_STOCK']);
  const refused = await stack.request('POST', '/v2/orders', { body: { user_id: user.body.id, items: [{ product_id: product.body.id, quantity: 2 }], shipping_address: ADDRESS } });
  expect(refused.status).toBe(422);
  expect(await recent(stack.keys.live, ['ORDER_CREATED', 'PRODUCT_OUT_OF_STOCK'])).toEqual(before);

  const order = await stack.request('POST', '/v2/orders', { body: { user_id: user.body.id, items: [{ product_id: product.body.id, quantity: 1 }], shipping_address: ADDRESS } });
  expect(order.status).toBe(201);
  const after = await recent(stack.keys.live, ['ORDER_CREATED', 'PRODUCT_OUT_OF_STOCK']);
  const fresh = after.slice(0, after.length - before.length);
  expect(fresh.map((e) => e.event).sort()).toEqual(['order.created', 'product.out_of_stock']);
  expect(fresh.find((e) => e.event === 'order.created')!.data).toMatchObject({ id: order.body.id, status: 'pending', user_id: user.body.id });
  expect(fresh.find((e) => e.event === 'product.out_of_stock')!.data).toMatchObject({ id: product.body.id, stock: 0 });
});

test('events belong to the account and mode of the change', async () => {
  const sandbox = await stack.request('POST', '/v2/users', { key: stack.keys.test, body: { email: `sb${Date.now()}@example.com`, name: 'Sandbox User' } });
  expect(sandbox.status).toBe(201);
  const inTest = (await recent(stack.keys.test, ['USER_CREATED'])).map((e) => e.data.id);
  expect(inTest).toContain(sandbox.body.id);
  expect((await recent(stack.keys.live, ['USER_CREATED'])).map((e) => e.data.id)).not.toContain(sandbox.body.id);
  expect((await recent(stack.keys.otherAccountLive)).map((e) => e.data.id)).not.toContain(sandbox.body.id);
  const stored = await stack.db.collection('events').findOne({ 'data.id': sandbox.body.id });
  expect(stored).toMatchObject({ type: 'user.created', accountId: stack.accounts.main, mode: 'test' });
});

test('the README documents every event of the catalogue', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  for (const type of EVENT_TYPES) expect(readme).toContain(`| \`${type}\` |`);
});
