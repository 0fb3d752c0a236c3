// A JWT from /v1/auth/login opens a graphql-ws connection (connection_init → GatewayServer
// .authenticate) exactly as an API key does; a forged or missing token is refused.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
let token: string;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startStack();
  await stack.graphql('mutation { createIdentity(email: "wes@example.com", password: "Correct-Horse-9", role: ADMIN) { id } }');
  token = (await stack.request('POST', '/v1/auth/login', { key: null, body: { email: 'wes@example.com', password: 'Correct-Horse-9' } })).body.access_token;
}, 60_000);
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await stack?.stop();
});

function subscribeOnce(authorization: string): Promise<{ data?: any; closedWith?: number }> {
  return new Promise((resolve) => {
    const client = createClient({
      url: stack.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization },
      on: { closed: (e) => resolve({ closedWith: (e as { code: number }).code }) },
    });
    clients.push(client);
    const stop = client.subscribe({ query: 'subscription { events(types: [USER_CREATED]) { id type } }' }, {
      next: (r) => {
        stop();
        resolve({ data: r.data });
      },
      error: () => undefined,
      complete: () => undefined,
    });
    // Once subscribed, make the event it waits for.
    setTimeout(() => void stack.request('POST', '/v2/users', { body: { email: `ws${Date.now()}@example.com`, name: 'Ws User' } }), 400);
  });
}

test('a JWT authenticates a graphql-ws subscription', async () => {
  const result = await subscribeOnce(`Bearer ${token}`);
  expect(result.data?.events?.type).toBeDefined();
}, 20_000);

test('a tampered JWT is refused at connection_init', async () => {
  const [h, p, s] = token.split('.') as [string, string, string];
  const result = await subscribeOnce(`Bearer ${h}.${p}.${s.slice(0, -2)}xx`);
  expect(result.data).toBeUndefined();
  expect(result.closedWith).toBe(4401); // graphql-ws Unauthorized
}, 20_000);
