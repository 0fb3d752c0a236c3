// Who may subscribe is decided by the same access rules as a query: a key without the domain's read
// scope is refused at subscribe time with FORBIDDEN, even for a selection of the event's own fields
// (which the gateway builds from the outbox without a round trip through the graph).
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../../subgraphs/auth/src/store.js';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await stack?.stop();
});

async function keyWith(scopes: string[]): Promise<string> {
  const { secret } = await createApiKey(stack.db, { accountId: stack.accounts.main, type: 'live', plan: 'enterprise', scopes });
  return secret;
}

/** Subscribes and resolves with the first error, or the first payload. */
function firstOutcome(key: string, query: string): Promise<{ errors?: { extensions?: { code?: string } }[]; data?: unknown }> {
  const client = createClient({ url: stack.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${key}` } });
  clients.push(client);
  return new Promise((resolve) => {
    client.subscribe({ query }, {
      next: (r) => resolve(r.errors ? { errors: r.errors as never } : { data: r.data }),
      error: (e) => resolve({ errors: Array.isArray(e) ? (e as never) : [{ extensions: { code: 'CLOSED' } }] }),
      complete: () => undefined,
    });
  });
}

test('a key without webhooks:read may not subscribe to events, even for event-only fields', async () => {
  const outcome = await firstOutcome(await keyWith(['commerce:read']), 'subscription { events(types: [ORDER_CREATED]) { id type data } }');
  expect(outcome.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('a key without commerce:read may not follow an order', async () => {
  const outcome = await firstOutcome(await keyWith(['webhooks:read']), 'subscription { orderUpdated(id: "ord_doesnotexist") { status } }');
  expect(outcome.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('a key with webhooks:read subscribes to events and receives them', async () => {
  const outcome = firstOutcome(await keyWith(['webhooks:read']), 'subscription { events(types: [USER_CREATED]) { type data } }');
  let received: Awaited<typeof outcome> | undefined;
  void outcome.then((o) => (received = o));
  // The subscription may become active a moment after it is sent: create users until one arrives.
  for (let i = 0; i < 40 && !received; i++) {
    const res = await stack.request('POST', '/v2/users', { body: { email: `sub-access-${i}-${Date.now()}@example.com`, name: 'Sub Access' } });
    expect(res.status).toBe(201);
    await Promise.race([outcome, new Promise((r) => setTimeout(r, 500))]);
  }
  expect(received?.errors).toBeUndefined();
  expect(received?.data).toMatchObject({ events: { type: 'USER_CREATED' } });
});
