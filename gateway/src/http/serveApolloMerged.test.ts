import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../../platform/src/principal.js';
import { mergeHttpResponses, serveApolloMerged } from './serveApolloMerged.js';

type Ctx = { principal: Principal };
const principal = (accountId: string, requestId: string): Principal => ({ accountId, mode: 'live', keyType: 'live', plan: 'pro', scopes: [], requestId });

let runs = 0;
let server: http.Server;
let apollo: ApolloServer<Ctx>;
let url: string;
const slow = () => new Promise((r) => setTimeout(r, 50));

beforeAll(async () => {
  apollo = new ApolloServer<Ctx>({
    typeDefs: 'type Query { who: String  boom: String }  type Mutation { bump: Int }',
    resolvers: {
      Query: {
        who: async (_: unknown, __: unknown, ctx: Ctx) => {
          runs += 1;
          await slow();
          return ctx.principal.accountId;
        },
        boom: async () => {
          runs += 1;
          await slow();
          throw new GraphQLError('boom', { extensions: { code: 'BOOM' } });
        },
      },
      Mutation: {
        bump: async () => {
          runs += 1;
          await slow();
          return runs;
        },
      },
    },
  });
  mergeHttpResponses(apollo);
  await apollo.start();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const account = String(req.headers['x-account']);
      res.setHeader('x-request-id', String(req.headers['x-req']));
      void serveApolloMerged(apollo, req, res, Buffer.concat(chunks).toString(), async () => ({ principal: principal(account, String(req.headers['x-req'])) }), { 'x-extra': account });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await apollo.stop();
});

const post = async (query: string, account: string, req: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-account': account, 'x-req': req }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] }, requestId: res.headers.get('x-request-id'), extra: res.headers.get('x-extra') };
};

test('identical concurrent queries of one principal run once; each response keeps its own request headers', async () => {
  runs = 0;
  const results = await Promise.all([1, 2, 3, 4].map((i) => post('{ who }', 'a1', `r${i}`)));
  expect(runs).toBe(1);
  expect(results.map((r) => r.body)).toEqual(Array(4).fill({ data: { who: 'a1' } }));
  expect(results.map((r) => r.requestId)).toEqual(['r1', 'r2', 'r3', 'r4']);
  expect(results.every((r) => r.extra === 'a1' && r.status === 200)).toBe(true);
});

test('never across principals', async () => {
  runs = 0;
  const [a, b] = await Promise.all([post('{ who }', 'a1', 'x'), post('{ who }', 'a2', 'y')]);
  expect(runs).toBe(2);
  expect(a.body.data).toEqual({ who: 'a1' });
  expect(b.body.data).toEqual({ who: 'a2' });
});

test('never for mutations', async () => {
  runs = 0;
  await Promise.all([post('mutation { bump }', 'a1', 'm1'), post('mutation { bump }', 'a1', 'm2')]);
  expect(runs).toBe(2);
});

test('a response with errors is not handed to followers (errors carry their own request id)', async () => {
  runs = 0;
  const results = await Promise.all([post('{ boom }', 'a1', 'e1'), post('{ boom }', 'a1', 'e2')]);
  expect(runs).toBe(2);
  for (const r of results) expect(r.body.errors).toHaveLength(1);
});
