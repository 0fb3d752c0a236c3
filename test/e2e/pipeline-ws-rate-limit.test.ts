// One budget for every transport: queries and mutations sent over the graphql-ws socket count in
// the same per-minute budget as HTTP, per operation (not per connection). A free key's 61st
// request of a minute, mixed transports, is refused — over the socket as an `error` message with
// code RATE_LIMITED, over HTTP as a 429.
import WebSocket from 'ws';
import { createApiKey } from '../../subgraphs/auth/src/store.js';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.stop());

interface Message {
  type: string;
  id?: string;
  payload?: any;
}

/** A raw graphql-transport-ws connection: every message the server sends is kept. */
async function open(key: string) {
  const socket = new WebSocket(stack.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Message);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const until = (check: () => Message | undefined) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such message; got ${JSON.stringify(messages.slice(-3))}`)), 30_000);
      const look = () => {
        const found = check();
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(look);
      };
      look();
    });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  await until(() => messages.find((m) => m.type === 'connection_ack'));
  let n = 0;
  return {
    /** Runs one query; resolves with its `next` or `error` message. */
    async run(query: string): Promise<Message> {
      const id = String(++n);
      socket.send(JSON.stringify({ type: 'subscribe', id, payload: { query } }));
      return until(() => messages.find((m) => m.id === id && (m.type === 'next' || m.type === 'error')));
    },
    close: () => socket.close(),
  };
}

test("a free key's socket operations share its HTTP budget: the 61st of a minute, mixed transports, is refused on both", async () => {
  // A minute boundary mid-run resets the budget; then the run is repeated with a fresh key.
  for (let attempt = 0; attempt < 3; attempt++) {
    const key = (await createApiKey(stack.db, { accountId: stack.accounts.main, type: 'live', plan: 'free' })).secret;
    const ws = await open(key);
    try {
      const first = await stack.graphql('{ __typename }', {}, { key });
      expect(first.status).toBe(200);
      const minute = first.headers.get('x-ratelimit-reset');
      for (let i = 0; i < 30; i++) expect((await ws.run('{ __typename }')).type).toBe('next');
      for (let i = 0; i < 29; i++) expect((await stack.graphql('{ __typename }', {}, { key })).status).toBe(200);
      // 60 spent: 1 + 30 over the socket + 29 over HTTP.
      const refused = await ws.run('{ __typename }');
      const overHttp = await stack.graphql('{ __typename }', {}, { key });
      if (overHttp.headers.get('x-ratelimit-reset') !== minute) continue;
      expect(refused.type).toBe('error');
      expect(refused.payload[0].extensions.code).toBe('RATE_LIMITED');
      expect(overHttp.status).toBe(429);
      expect(overHttp.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(overHttp.headers.get('x-ratelimit-remaining')).toBe('0');
      return;
    } finally {
      ws.close();
    }
  }
  throw new Error('three runs each crossed a minute boundary');
}, 120_000);
