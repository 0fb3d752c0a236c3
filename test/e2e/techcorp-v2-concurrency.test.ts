// Properties of the commerce domain that only show under load or over time: with every core kept
// busy by other processes, 200 and 1,000 simultaneous orders on one product sell exactly its
// stock (201), refuse the rest (422), never answer 5xx and never take the stock below 0; DataLoader
// batching (one query per collection for a page of orders with their users and products); and the
// TTL index that purges soft-deleted users.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { MongoClient, type ChangeStreamUpdateDocument, type CommandStartedEvent } from 'mongodb';
import { commerceSubgraph } from '../../subgraphs/commerce/src/index.js';
import type { Principal } from '../../platform/src/principal.js';
import { loadEnv } from '../../platform/src/env.js';
import { startStack, type Stack } from '../support/startStack.js';
import { startCpuLoad, type CpuLoad } from './cpuLoad.js';
import { ADDRESS, restClient, unique, type Call } from './techcorp-client.js';

let stack: Stack;
let api: Call;
let load: CpuLoad;

beforeAll(async () => {
  stack = await startStack();
  api = restClient(stack.url, stack.keys.live);
  // Every test of this file runs while other processes keep every core busy, as on a loaded CI runner.
  load = await startCpuLoad();
}, 120_000);

afterAll(async () => {
  await load?.stop();
  await stack?.stop();
});

interface StockChange {
  stock: number;
}

/** Every value the product's stock takes, as the database's change stream reports it. */
async function watchStock(productId: string): Promise<{ values: number[]; waitFor(n: number): Promise<void>; close(): Promise<void> }> {
  const stream = stack.db.collection('commerce_products').watch<{ _id: string }, ChangeStreamUpdateDocument<{ _id: string }>>([
    { $match: { operationType: 'update', 'documentKey._id': productId } },
  ]);
  const values: number[] = [];
  const waiters: { n: number; resolve(): void }[] = [];
  stream.on('change', (change) => {
    const stock = (change.updateDescription?.updatedFields as Partial<StockChange> | undefined)?.stock;
    if (typeof stock === 'number') values.push(stock);
    for (const w of waiters.filter((w) => values.length >= w.n)) w.resolve();
  });
  return {
    values,
    waitFor: (n) => (values.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => stream.close(),
  };
}

async function race(orders: number, stock: number): Promise<void> {
  const user = (await api('POST', '/v2/users', { body: { email: `${unique('race')}@example.com`, name: 'Racer' } })).body;
  const product = (await api('POST', '/v2/products', { body: { name: 'Scarce', sku: unique('RACE-'), price: 10, currency: 'USD', stock: 0 } })).body;
  // The stream is live once it reports the stock being set; from then on it sees every change.
  const changes = await watchStock(product.id);
  try {
    expect((await api('POST', `/v2/products/${product.id}/stock`, { body: { operation: 'set', quantity: stock } })).status).toBe(200);
    await changes.waitFor(1);

    const replies = await Promise.all(
      Array.from({ length: orders }, () => api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: product.id, quantity: 1 }], shipping_address: ADDRESS } })),
    );
    // Counted by status so a failure shows what the other requests got.
    const counts: Record<number, number> = {};
    for (const r of replies) counts[r.status] = (counts[r.status] ?? 0) + 1;
    expect(counts).toEqual({ 201: stock, 422: orders - stock });
    expect(replies.filter((r) => r.status === 422).every((r) => r.body.error.code === 'INSUFFICIENT_STOCK')).toBe(true);

    expect((await api('GET', `/v2/products/${product.id}`)).body.stock).toBe(0);
    expect((await api('GET', `/v2/orders?user_id=${user.id}&limit=1`)).body.pagination.total).toBe(stock);
    // One order.created per order placed, and the product ran out once.
    const created = await stack.db.collection('events').find({ type: 'order.created', 'data.user_id': user.id }).toArray();
    expect(created.map((e) => e.data.id).sort()).toEqual(replies.filter((r) => r.status === 201).map((r) => r.body.id).sort());
    expect(await stack.db.collection('events').countDocuments({ type: 'product.out_of_stock', 'data.id': product.id })).toBe(1);
    // Never below 0: the stock went stock, stock-1, ..., 0, one unit per order and nothing else.
    await changes.waitFor(1 + stock);
    expect(changes.values).toEqual(Array.from({ length: stock + 1 }, (_, i) => stock - i));
    // Nothing is left held: every sold unit belongs to an order.
    expect((await stack.db.collection('commerce_products').findOne({ _id: product.id }))?.holds).toEqual([]);
  } finally {
    await changes.close();
  }
}

it('sells exactly the stock when 200 orders race for 50 units on a busy machine', async () => {
  await race(200, 50);
}, 180_000);

it('resolves 100 orders with their users and products in one query per collection', async () => {
  const accountId = unique('acc_batch');
  // A second client on the same server, with command monitoring on, to count round trips.
  const uri = process.env.JUNCTION_TEST_MONGODB_URI ?? (await readFile(path.join(stack.dataDir, 'mongo.uri'), 'utf8')).trim();
  const client = new MongoClient(uri, { monitorCommands: true });
  await client.connect();
  try {
    const db = client.db(stack.db.databaseName);
    const principal: Principal = { accountId, mode: 'live', keyType: 'live', plan: 'enterprise', scopes: ['*'], requestId: 'req_batch' };
    const schema = buildSubgraphSchema({ typeDefs: commerceSubgraph.typeDefs, resolvers: commerceSubgraph.resolvers as never });
    const run = async (source: string) => {
      const result = await execute({ schema, document: parse(source), contextValue: await commerceSubgraph.createContext({ principal, db, client, config: loadEnv({}) }) });
      expect(result.errors).toBeUndefined();
      return result.data as Record<string, any>;
    };
    // 10 users, 5 products, 100 orders of 2 items each.
    const userIds: string[] = [];
    for (let i = 0; i < 10; i++) userIds.push((await run(`mutation { createUser(input: { email: "b${i}@example.com", name: "Batch ${i}" }) { id } }`)).createUser.id);
    const productIds: string[] = [];
    for (let i = 0; i < 5; i++) productIds.push((await run(`mutation { createProduct(input: { name: "P${i}", sku: "B-${i}", price: 1, currency: "USD", stock: 1000 }) { id } }`)).createProduct.id);
    for (let i = 0; i < 100; i++) {
      const items = [productIds[i % 5], productIds[(i + 1) % 5]].map((id) => `{ productId: "${id}", quantity: 1 }`).join(',');
      await run(`mutation { createOrder(input: { userId: "${userIds[i % 10]}", items: [${items}], shippingAddress: { line1: "1 A St", city: "Paris", postalCode: "75001", country: "FR" } }) { id } }`);
    }

    const commands: CommandStartedEvent[] = [];
    const listener = (event: CommandStartedEvent) => commands.push(event);
    client.on('commandStarted', listener);
    const data = await run(`{ orders(limit: 100) { data { id user { email } items { quantity product { name stock } } } pagination { total } } }`);
    client.off('commandStarted', listener);

    expect(data.orders.pagination.total).toBe(100);
    expect(data.orders.data).toHaveLength(100);
    expect(data.orders.data.every((o: any) => o.user.email.endsWith('@example.com') && o.items.every((it: any) => it.product.name.startsWith('P')))).toBe(true);
    const perCollection: Record<string, number> = {};
    for (const c of commands) {
      const collection = String(c.command[c.commandName]);
      perCollection[collection] = (perCollection[collection] ?? 0) + 1;
    }
    expect(perCollection).toEqual({ commerce_orders: 1, commerce_users: 1, commerce_products: 1 });

    // The other direction: 10 users with a page of their orders each is one query per collection too.
    commands.length = 0;
    client.on('commandStarted', listener);
    const byUser = await run(`{ users(limit: 10) { data { id orders(limit: 4) { data { userId } pagination { total pages } } } } }`);
    client.off('commandStarted', listener);
    expect(byUser.users.data).toHaveLength(10);
    for (const u of byUser.users.data) {
      expect(u.orders.pagination).toEqual({ total: 10, pages: 3 });
      expect(u.orders.data).toHaveLength(4);
      expect(u.orders.data.every((o: any) => o.userId === u.id)).toBe(true);
    }
    expect(commands.map((c) => String(c.command[c.commandName])).sort()).toEqual(['commerce_orders', 'commerce_users']);
  } finally {
    await client.close();
  }
}, 180_000);

it('purges soft-deleted users with a TTL index 30 days after deletion', async () => {
  const indexes = await stack.db.collection('commerce_users').indexes();
  const ttl = indexes.find((i) => i.key && Object.keys(i.key).join() === 'purgeAt');
  expect(ttl?.expireAfterSeconds).toBe(0);

  const user = (await api('POST', '/v2/users', { body: { email: `${unique('ttl')}@example.com`, name: 'Short Lived' } })).body;
  expect((await api('DELETE', `/v2/users/${user.id}`)).status).toBe(204);
  const users = stack.db.collection<{ _id: string; purgeAt?: Date; deletedAt?: Date }>('commerce_users');
  const stored = await users.findOne({ _id: user.id });
  expect((stored!.purgeAt!.getTime() - stored!.deletedAt!.getTime()) / 86_400_000).toBe(30);

  // Pretend the 30 days have passed; the server's TTL monitor then removes the document.
  await users.updateOne({ _id: user.id }, { $set: { purgeAt: new Date(Date.now() - 1000) } });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && (await users.countDocuments({ _id: user.id })) > 0) await new Promise((r) => setTimeout(r, 500));
  expect(await users.countDocuments({ _id: user.id })).toBe(0);
}, 120_000);
