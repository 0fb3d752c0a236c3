// What a crash in the middle of a stock change leaves, and how the sweeper finishes it: units held
// by an order that never committed go back (once), units of a committed order stay sold, a
// cancellation's stock return is applied exactly once however far it got, and an out_of_stock
// event left in the product is copied to the outbox once. The "crash" is the protocol's steps run
// without the ones after them; the sweeper runs with a clock past its timeouts.
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS, restClient, unique, type Call } from './techcorp-client.js';
import { sweepStock } from '../../subgraphs/commerce/src/stock/sweepStock.js';
import { decideHold, holdStock } from '../../subgraphs/commerce/src/stock/stockHolds.js';
import { stockReturns, stockedProducts } from '../../subgraphs/commerce/src/stock/stockCollections.js';

let stack: Stack;
let api: Call;
const later = () => new Date(Date.now() + 60 * 60_000);

beforeAll(async () => {
  stack = await startStack();
  api = restClient(stack.url, stack.keys.live);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function newProduct(stock: number): Promise<string> {
  const reply = await api('POST', '/v2/products', { body: { name: 'Held', sku: unique('HOLD-'), price: 5, currency: 'USD', stock } });
  expect(reply.status).toBe(201);
  return reply.body.id;
}
const stockOf = async (id: string): Promise<number> => (await api('GET', `/v2/products/${id}`)).body.stock;
const scope = () => ({ accountId: stack.accounts.main, mode: 'live' as const });

it('gives back, once, the units of an order that died before its transaction', async () => {
  const id = await newProduct(5);
  const hold = await holdStock(stack.db, scope(), 'ord_crashed1', [{ productId: id, quantity: 2, index: 0 }]);
  expect(hold.ok).toBe(true);
  expect(await stockOf(id)).toBe(3);
  // Not yet stale: a request may still be running.
  await sweepStock(stack.db);
  expect(await stockOf(id)).toBe(3);
  expect((await sweepStock(stack.db, later())).released).toBe(1);
  expect(await stockOf(id)).toBe(5);
  await sweepStock(stack.db, later());
  expect(await stockOf(id)).toBe(5);
  expect((await stockedProducts(stack.db).findOne({ _id: id }))?.holds).toEqual([]);
}, 60_000);

it('keeps sold the units of an order that committed but died before clearing its hold', async () => {
  const id = await newProduct(5);
  await holdStock(stack.db, scope(), 'ord_crashed2', [{ productId: id, quantity: 2, index: 0 }]);
  expect(await decideHold(stack.db, 'ord_crashed2', 'confirmed')).toBe('confirmed');
  expect((await sweepStock(stack.db, later())).cleared).toBe(1);
  expect(await stockOf(id)).toBe(3);
  // The decision stands: a late release changes nothing.
  expect(await decideHold(stack.db, 'ord_crashed2', 'released')).toBe('confirmed');
}, 60_000);

it('applies a cancellation\'s stock return exactly once, however far it got before a crash', async () => {
  const user = (await api('POST', '/v2/users', { body: { email: `${unique('ret')}@example.com`, name: 'Returner' } })).body;
  const a = await newProduct(10);
  const b = await newProduct(10);
  const order = await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: a, quantity: 3 }, { product_id: b, quantity: 4 }], shipping_address: ADDRESS } });
  expect(order.status).toBe(201);
  expect([await stockOf(a), await stockOf(b)]).toEqual([7, 6]);
  // A return recorded by a cancellation that died after adding back only the first item.
  await stockReturns(stack.db).insertOne({
    _id: order.body.id,
    ...scope(),
    items: [{ productId: a, quantity: 3 }, { productId: b, quantity: 4 }],
    createdAt: new Date(),
    appliedAt: null,
    leaseUntil: new Date(Date.now() - 1000),
  });
  await stockedProducts(stack.db).updateOne({ _id: a }, { $inc: { stock: 3 }, $push: { returns: order.body.id } });
  expect((await sweepStock(stack.db, later())).returned).toBe(1);
  expect([await stockOf(a), await stockOf(b)]).toEqual([10, 10]);
  await sweepStock(stack.db, later());
  expect([await stockOf(a), await stockOf(b)]).toEqual([10, 10]);
  expect(await stockReturns(stack.db).countDocuments({ _id: order.body.id })).toBe(0);
}, 60_000);

it('returns stock on cancel and sells it again', async () => {
  const user = (await api('POST', '/v2/users', { body: { email: `${unique('cxl')}@example.com`, name: 'Canceller' } })).body;
  const id = await newProduct(1);
  const first = await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: id, quantity: 1 }], shipping_address: ADDRESS } });
  expect(first.status).toBe(201);
  expect((await api('POST', `/v2/orders/${first.body.id}/cancel`, { body: {} })).status).toBe(200);
  expect(await stockOf(id)).toBe(1);
  const second = await api('POST', '/v2/orders', { body: { user_id: user.id, items: [{ product_id: id, quantity: 1 }], shipping_address: ADDRESS } });
  expect(second.status).toBe(201);
  // Reached 0 twice, so two out_of_stock events.
  expect(await stack.db.collection('events').countDocuments({ type: 'product.out_of_stock', 'data.id': id })).toBe(2);
}, 60_000);

it('copies an out_of_stock event left in the product to the outbox once', async () => {
  const id = await newProduct(3);
  expect((await api('POST', `/v2/products/${id}/stock`, { body: { operation: 'subtract', quantity: 3 } })).status).toBe(200);
  expect(await stack.db.collection('events').countDocuments({ type: 'product.out_of_stock', 'data.id': id })).toBe(1);
  // An event written with the change by a request that died before copying it.
  await stockedProducts(stack.db).updateOne({ _id: id }, { $push: { outbox: { id: 'evt_leftbehind000000000001', type: 'product.out_of_stock', at: new Date() } } });
  expect((await sweepStock(stack.db, later())).relayed).toBe(1);
  await sweepStock(stack.db, later());
  expect(await stack.db.collection('events').countDocuments({ type: 'product.out_of_stock', 'data.id': id })).toBe(2);
  expect((await stockedProducts(stack.db).findOne({ _id: id }))?.outbox).toEqual([]);
}, 60_000);
