// The commerce capabilities of TechCorp API v2.0.3 through the gateway's GraphQL endpoint: the same
// rules and error codes as REST (extensions.code), the fulfilment status machine, federation
// entities across users, products and orders, and outbox events written only with the change.
import { startStack, type Stack } from '../support/startStack.js';
import { graphql, unique, type GraphQLReply } from './techcorp-client.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const ADDRESS = { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

function gql(query: string, variables: Record<string, unknown> = {}, key = stack.keys.live): Promise<GraphQLReply> {
  return graphql(stack.url, key, query, variables);
}

function code(reply: GraphQLReply): string | undefined {
  return reply.errors?.[0]?.extensions?.code;
}

const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email name status plan metadata { key value } createdAt } }`;
const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku price currency stock inStock } }`;
const CREATE_ORDER = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status total currency userId items { productId quantity unitPrice subtotal } } }`;

async function setup(key = stack.keys.live) {
  const user = (await gql(CREATE_USER, { input: { email: `${unique('g')}@example.com`, name: 'Graph User' } }, key)).data.createUser;
  const product = (await gql(CREATE_PRODUCT, { input: { name: 'Graph Widget', sku: unique('GQL-'), price: 12.5, currency: 'USD', category: 'widgets', stock: 10 } }, key)).data.createProduct;
  return { user, product };
}

async function order(userId: string, productId: string, quantity = 1, key = stack.keys.live) {
  const reply = await gql(CREATE_ORDER, { input: { userId, items: [{ productId, quantity }], shippingAddress: ADDRESS } }, key);
  expect(reply.errors).toBeUndefined();
  return reply.data.createOrder as { id: string; status: string; total: number };
}

describe('GraphQL commerce', () => {
  it('creates and reads users, products and orders with their relations', async () => {
    const { user, product } = await setup();
    expect(user).toMatchObject({ status: 'active', plan: 'free', metadata: [], createdAt: expect.stringMatching(/Z$/) });
    expect(product).toMatchObject({ price: 12.5, stock: 10, inStock: true });
    const created = await order(user.id, product.id, 3);
    expect(created).toMatchObject({ status: 'pending', total: 37.5 });
    const read = await gql(
      `query($id: ID!, $userId: ID!) {
        order(id: $id) { id user { id email } items { quantity product { id stock } } }
        user(id: $userId) { orders { data { id } pagination { total } } }
      }`,
      { id: created.id, userId: user.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.order).toEqual({ id: created.id, user: { id: user.id, email: user.email }, items: [{ quantity: 3, product: { id: product.id, stock: 7 } }] });
    expect(read.data.user.orders).toEqual({ data: [{ id: created.id }], pagination: { total: 1 } });
  });

  it('supports the same list filters and pagination as REST', async () => {
    const cat = unique('gcat-').toLowerCase();
    for (const [price, stock] of [[1, 0], [2, 5], [3, 5]] as const) {
      await gql(CREATE_PRODUCT, { input: { name: `Filter item ${price}`, sku: unique('F-'), price, currency: 'USD', category: cat, stock } });
    }
    const reply = await gql(`query($cat: String) { products(category: $cat, inStock: true, minPrice: 2, maxPrice: 3, q: "filter ITEM", limit: 1) { data { price } pagination { total pages limit } } }`, { cat });
    expect(reply.data.products).toEqual({ data: [{ price: expect.any(Number) }], pagination: { total: 2, pages: 2, limit: 1 } });
    const users = await gql(`{ users(limit: 101) { data { id } } }`);
    expect(code(users)).toBe('INVALID_REQUEST');
  });

  it('reports the REST error codes in extensions.code', async () => {
    const { user, product } = await setup();
    expect(code(await gql(CREATE_USER, { input: { name: 'No Email' } }))).toBe('MISSING_REQUIRED_FIELD');
    expect(code(await gql(CREATE_USER, { input: { email: 'nope', name: 'Bad' } }))).toBe('INVALID_EMAIL');
    expect(code(await gql(CREATE_USER, { input: { email: user.email, name: 'Twin' } }))).toBe('CONFLICT');
    expect(code(await gql(CREATE_PRODUCT, { input: { name: 'Dup', sku: product.sku, price: 1, currency: 'USD' } }))).toBe('SKU_ALREADY_EXISTS');
    expect(code(await gql(CREATE_PRODUCT, { input: { name: 'Cur', sku: unique('C'), price: 1, currency: 'ZZZ' } }))).toBe('INVALID_CURRENCY');
    const stock = await gql(`mutation($id: ID!) { updateProductStock(id: $id, input: { operation: subtract, quantity: 11 }) { stock } }`, { id: product.id });
    expect(code(stock)).toBe('INSUFFICIENT_STOCK');
    expect(stock.errors?.[0]?.extensions?.param).toBe('quantity');
    expect(code(await gql(`mutation { updateUser(id: "usr_doesnotexist0", input: { name: "Nobody" }) { id } }`))).toBe('RESOURCE_NOT_FOUND');
    expect(code(await gql(`mutation($id: ID!) { updateUser(id: $id, input: { email: "x@example.com" }) { id } }`, { id: user.id }))).toBe('INVALID_REQUEST');
  });

  it('moves orders through the status table and emits the events', async () => {
    const { user, product } = await setup();
    const created = await order(user.id, product.id, 2);
    const step = (mutation: string, vars: Record<string, unknown> = {}) =>
      gql(`mutation($id: ID!${mutation.includes('$tracking') ? ', $tracking: String!' : ''}) { ${mutation} { id status trackingNumber } }`, { id: created.id, ...vars });
    expect(code(await step('deliverOrder(id: $id)'))).toBe('INVALID_STATUS_TRANSITION');
    expect(code(await step('shipOrder(id: $id, trackingNumber: $tracking)', { tracking: '1Z999' }))).toBe('INVALID_STATUS_TRANSITION');
    expect((await step('confirmPayment(id: $id)')).data.confirmPayment.status).toBe('confirmed');
    expect((await step('startProcessing(id: $id)')).data.startProcessing.status).toBe('processing');
    expect(code(await gql(`mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id: created.id }))).toBe('ORDER_NOT_CANCELLABLE');
    const shipped = await step('shipOrder(id: $id, trackingNumber: $tracking)', { tracking: '1Z999AA10123456784' });
    expect(shipped.data.shipOrder).toEqual({ id: created.id, status: 'shipped', trackingNumber: '1Z999AA10123456784' });
    expect((await step('deliverOrder(id: $id)')).data.deliverOrder.status).toBe('delivered');
    expect(code(await step('confirmPayment(id: $id)'))).toBe('INVALID_STATUS_TRANSITION');

    const events = await stack.db.collection('events').find({ 'data.id': created.id }).sort({ createdAt: 1, _id: 1 }).toArray();
    const changes = events.filter((e) => e.type === 'order.status_changed').map((e) => [e.data.previous_status, e.data.status]);
    expect(changes).toEqual([
      ['pending', 'confirmed'],
      ['confirmed', 'processing'],
      ['processing', 'shipped'],
      ['shipped', 'delivered'],
    ]);
    const shippedEvent = events.find((e) => e.type === 'order.shipped');
    expect(shippedEvent?.data).toMatchObject({ id: created.id, status: 'shipped', tracking_number: '1Z999AA10123456784' });
    expect(events.filter((e) => e.type === 'order.created')).toHaveLength(1);
    expect(events.every((e) => e.accountId && e.mode === 'live')).toBe(true);
  });

  it('records a failed payment without changing the order', async () => {
    const { user, product } = await setup();
    const created = await order(user.id, product.id);
    const failed = await gql(`mutation($id: ID!) { failPayment(id: $id, reason: "card_declined") { status } }`, { id: created.id });
    expect(failed.data.failPayment.status).toBe('pending');
    const event = await stack.db.collection('events').findOne({ type: 'payment.failed', 'data.id': created.id });
    expect(event?.data).toMatchObject({ failure_reason: 'card_declined', status: 'pending' });
  });

  it('writes events only when the change happened', async () => {
    const { user } = await setup();
    const before = await stack.db.collection('events').countDocuments({ type: 'user.created', 'data.email': user.email });
    expect(before).toBe(1);
    await gql(CREATE_USER, { input: { email: user.email, name: 'Twin' } });
    expect(await stack.db.collection('events').countDocuments({ type: 'user.created', 'data.email': user.email })).toBe(1);
    const deleted = await gql(`mutation($id: ID!) { deleteUser(id: $id) { id deleted } }`, { id: user.id });
    expect(deleted.data.deleteUser).toEqual({ id: user.id, deleted: true });
    expect(await stack.db.collection('events').countDocuments({ type: 'user.deleted', 'data.id': user.id })).toBe(1);
    await gql(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: user.id });
    expect(await stack.db.collection('events').countDocuments({ type: 'user.deleted', 'data.id': user.id })).toBe(1);
  });

  it('refuses mutations to readonly keys and hides other accounts and modes', async () => {
    const { user, product } = await setup();
    const created = await order(user.id, product.id);
    const ro = await gql(CREATE_USER, { input: { email: `${unique('ro')}@example.com`, name: 'Readonly' } }, stack.keys.readonly);
    expect(code(ro)).toBe('FORBIDDEN');
    const roRead = await gql(`query($id: ID!) { user(id: $id) { id } }`, { id: user.id }, stack.keys.readonly);
    expect(roRead.data.user).toEqual({ id: user.id });

    for (const key of [stack.keys.otherAccountLive, stack.keys.test]) {
      const read = await gql(
        `query($u: ID!, $p: ID!, $o: ID!) { user(id: $u) { id } product(id: $p) { id } order(id: $o) { id } orders(userId: $u) { data { id } } }`,
        { u: user.id, p: product.id, o: created.id },
        key,
      );
      expect(read.data).toEqual({ user: null, product: null, order: null, orders: { data: [] } });
      const mutations: [string, Record<string, unknown>][] = [
        [`mutation($id: ID!) { updateUser(id: $id, input: { name: "Hijack" }) { id } }`, { id: user.id }],
        [`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: user.id }],
        [`mutation($id: ID!) { updateProductStock(id: $id, input: { operation: set, quantity: 0 }) { id } }`, { id: product.id }],
        [`mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id: created.id }],
        [`mutation($id: ID!) { confirmPayment(id: $id) { id } }`, { id: created.id }],
        [`mutation($id: ID!) { failPayment(id: $id) { id } }`, { id: created.id }],
        [`mutation($id: ID!) { startProcessing(id: $id) { id } }`, { id: created.id }],
        [`mutation($id: ID!) { shipOrder(id: $id, trackingNumber: "X") { id } }`, { id: created.id }],
        [`mutation($id: ID!) { deliverOrder(id: $id) { id } }`, { id: created.id }],
      ];
      for (const [mutation, variables] of mutations) expect([mutation, code(await gql(mutation, variables, key))]).toEqual([mutation, 'RESOURCE_NOT_FOUND']);
    }
    const still = await gql(`query($id: ID!) { order(id: $id) { status user { name } items { product { stock } } } }`, { id: created.id });
    expect(still.data.order).toEqual({ status: 'pending', user: { name: 'Graph User' }, items: [{ product: { stock: 9 } }] });
  });
});
