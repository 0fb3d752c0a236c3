// The platform as a client sees it: health, Sandbox, authentication (GraphQL and REST), readonly and
// test keys, the subgraph trust boundary, rate limits shared by two gateways, request ids,
// revocation and graceful shutdown. A small test-only REST table and subgraph exercise the REST
// core and slow requests without depending on any domain.
import { parse } from 'graphql';
import { randomBytes } from 'node:crypto';
import { JunctionError } from '../../platform/src/errors.js';
import { createLogger } from '../../platform/src/logger.js';
import { PRINCIPAL_HEADER, type Principal } from '../../platform/src/principal.js';
import { signPrincipal } from '../../platform/src/principalHeader.js';
import { subgraphs } from '../../app/src/subgraphRegistry.js';
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { startGatewayServer } from '../../gateway/src/GatewayServer.js';
import { restApis } from '../../gateway/src/rest/apis.js';
import type { RestApi } from '../../gateway/src/rest/RestRoute.js';
import { createApiKey } from '../../subgraphs/auth/src/store.js';
import { startStack, type Stack } from '../support/startStack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A subgraph that only exists in this test: a slow query for the graceful-shutdown check.
const slowSubgraph: SubgraphModule = {
  name: 'platformtest',
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query { slow(ms: Int!): String! boom: String conflict: String }
  `),
  resolvers: {
    Query: {
      slow: async (_: unknown, { ms }: { ms: number }) => (await sleep(ms), 'done'),
      boom: () => {
        throw new Error('database password is hunter2 at /srv/internal.ts:42');
      },
      conflict: () => {
        throw new JunctionError('CONFLICT', 'Already exists', { param: 'email' });
      },
    },
  } as never,
  access: { 'Query.slow': 'authenticated', 'Query.boom': 'authenticated', 'Query.conflict': 'authenticated' },
  createContext: (base) => base,
  ensureIndexes: async () => undefined,
};

// A REST table in 003's error format over the auth subgraph's operations.
const testApi: RestApi = {
  name: 'platform-test',
  prefixes: ['/ptest'],
  hosts: ['api.platform-test.example'],
  rateLimitScheme: 'techcorp-v2',
  formatError: (e, requestId) => ({ error: { code: e.code, message: e.message, param: e.param ?? null, request_id: requestId } }),
  routes: [
    {
      method: 'GET',
      path: '/account',
      document: 'query Viewer { viewer { id name } }',
      operationName: 'Viewer',
      variables: () => ({}),
      respond: (data) => ({ status: 200, body: data.viewer }),
    },
    {
      method: 'GET',
      path: '/old-account',
      document: 'query Viewer { viewer { id name } }',
      operationName: 'Viewer',
      variables: () => ({}),
      respond: (data) => ({ status: 200, body: data.viewer }),
      deprecated: { successor: () => '/ptest/account' },
    },
    {
      method: 'GET',
      path: '/boom',
      document: 'query Boom { boom }',
      operationName: 'Boom',
      variables: () => ({}),
      respond: (data) => ({ status: 200, body: data }),
    },
    {
      method: 'GET',
      path: '/conflict',
      document: 'query Conflict { conflict }',
      operationName: 'Conflict',
      variables: () => ({}),
      respond: (data) => ({ status: 200, body: data }),
    },
    {
      method: 'POST',
      path: '/keys',
      document: 'mutation CreateKey($type: ApiKeyType!) { createApiKey(type: $type) { secret apiKey { id type } } }',
      operationName: 'CreateKey',
      body: { type: { type: 'string', required: true, enum: ['LIVE', 'TEST', 'READONLY'] } },
      variables: (req) => ({ type: req.body!.type }),
      respond: (data) => ({ status: 201, body: data.createApiKey }),
    },
    {
      method: 'DELETE',
      path: '/keys/:key_id',
      document: 'mutation Revoke($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
      operationName: 'Revoke',
      variables: (req) => ({ id: req.params.key_id }),
      respond: () => ({ status: 204 }),
    },
  ],
};

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ modules: [...subgraphs, slowSubgraph], restApis: [...restApis, testApi], env: { API_KEY_CACHE_MS: '300', BODY_LIMIT_BYTES: '4096' } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('health and landing page', () => {
  test('/health is 503 until every part is up, then {"status":"healthy"}', async () => {
    const starting = await startGatewayServer({ port: 0, host: '127.0.0.1', logger: createLogger('silent'), bodyLimitBytes: 1024, shutdownGraceMs: 100 });
    try {
      const res = await fetch(`${starting.url}/health`);
      expect(res.status).toBe(503);
      const graphql = await fetch(`${starting.url}/graphql`, { method: 'POST' });
      expect(graphql.status).toBe(503);
    } finally {
      await starting.close();
    }
    const res = await stack.request('GET', '/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy' });
  });

  test('GET /graphql in a browser serves Apollo Sandbox without a key', async () => {
    const res = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/sandbox/i);
  });

  test('unknown paths are a JSON 404 with the request id', async () => {
    const res = await stack.request('GET', '/nowhere', { key: null });
    expect(res.status).toBe(404);
    expect(res.body.error.request_id).toBe(res.headers.get('x-request-id'));
  });
});

describe('authentication', () => {
  test('GraphQL without a key or with an unknown key is a 401 UNAUTHORIZED', async () => {
    for (const key of [null, 'tc_live_sk_' + 'x'.repeat(32), 'not-a-key']) {
      const res = await stack.graphql('{ viewer { id } }', undefined, { key });
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHORIZED');
      expect(res.body.errors[0].extensions.request_id).toBe(res.headers.get('x-request-id'));
    }
  });

  test('REST without a key or with an unknown key is a 401 in the API format', async () => {
    for (const key of [null, 'tc_live_sk_' + 'y'.repeat(32)]) {
      const res = await stack.request('GET', '/ptest/account', { key });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String), param: null, request_id: res.headers.get('x-request-id') } });
    }
  });

  test('GraphQL queries work over GET too', async () => {
    const res = await fetch(`${stack.url}/graphql?query=${encodeURIComponent('{ viewer { name } }')}`, { headers: { authorization: `Bearer ${stack.keys.live}` } });
    expect(res.status).toBe(200);
    // Every answer carries its demand-control cost (enterprise plan: at most 50,000 per request).
    expect(await res.json()).toEqual({ data: { viewer: { name: 'test-main' } }, extensions: { cost: { estimated: 1, actual: 1, max: 50_000 } } });
  });

  test('a valid key reaches its own account through GraphQL and REST', async () => {
    const gql = await stack.graphql('{ viewer { id name } }');
    expect(gql.status).toBe(200);
    expect(gql.body.data.viewer).toEqual({ id: stack.accounts.main, name: 'test-main' });
    const rest = await stack.request('GET', '/ptest/account', { key: stack.keys.otherAccountLive });
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ id: stack.accounts.other, name: 'test-other' });
  });

  test('the internal key-resolution field is not part of the public graph', async () => {
    const res = await stack.graphql('{ resolveApiKey(keyHash: "x") { accountId } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a readonly key may read but not mutate (GraphQL 403, REST 403)', async () => {
    const read = await stack.graphql('{ viewer { id } }', undefined, { key: stack.keys.readonly });
    expect(read.body.data.viewer.id).toBe(stack.accounts.main);
    const gql = await stack.graphql('mutation { createApiKey(type: LIVE) { secret } }', undefined, { key: stack.keys.readonly });
    expect(gql.status).toBe(403);
    expect(gql.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const rest = await stack.request('POST', '/ptest/keys', { key: stack.keys.readonly, body: { type: 'LIVE' } });
    expect(rest.status).toBe(403);
    expect(rest.body.error.code).toBe('FORBIDDEN');
    const keys = await stack.graphql('{ apiKeys { id } }');
    expect(keys.body.data.apiKeys).toHaveLength(4); // nothing was created
  });

  test('a test key cannot manage API keys', async () => {
    const res = await stack.graphql('mutation { createApiKey(type: LIVE) { secret } }', undefined, { key: stack.keys.test });
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('a test key sees none of the live data', async () => {
    if (!subgraphs.some((s) => s.name === 'commerce')) return;
    const email = `live-${randomBytes(4).toString('hex')}@example.com`;
    const created = await stack.graphql('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email, name: 'Live User' } });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createUser.id;
    const asTest = await stack.graphql('query($id: ID!) { user(id: $id) { id } users(limit: 100) { data { id } } }', { id }, { key: stack.keys.test });
    expect(asTest.body.data.user).toBeNull();
    expect(asTest.body.data.users.data.map((u: { id: string }) => u.id)).not.toContain(id);
    const asLive = await stack.graphql('query($id: ID!) { user(id: $id) { id } }', { id });
    expect(asLive.body.data.user.id).toBe(id);
  });

  test('a revoked key stops working within the cache time', async () => {
    const created = await stack.request('POST', '/ptest/keys', { body: { type: 'LIVE' } });
    expect(created.status).toBe(201);
    const { secret, apiKey } = created.body;
    expect(secret).toMatch(/^tc_live_sk_[A-Za-z0-9]{32}$/);
    expect((await stack.request('GET', '/ptest/account', { key: secret })).status).toBe(200);
    expect((await stack.request('DELETE', `/ptest/keys/${apiKey.id}`)).status).toBe(204);
    await sleep(400);
    expect((await stack.request('GET', '/ptest/account', { key: secret })).status).toBe(401);
  });
});

describe('subgraphs trust only the gateway', () => {
  const query = JSON.stringify({ query: '{ viewer { id } }' });
  const principal: Principal = { accountId: 'acct_forged', mode: 'live', keyType: 'live', plan: 'enterprise', scopes: ['*'], requestId: 'req_forged1' };

  test('a direct request without a signed principal is refused', async () => {
    const res = await fetch(stack.subgraphUrls.auth!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHORIZED');
  });

  test('a principal signed with another secret is refused; the right secret is accepted', async () => {
    const forged = await fetch(stack.subgraphUrls.auth!, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(principal, 'z'.repeat(43)) }, body: query });
    expect(forged.status).toBe(401);
    const signed = await fetch(stack.subgraphUrls.auth!, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(principal, stack.principalSecret) }, body: query });
    expect(signed.status).toBe(200);
  });
});

describe('REST core', () => {
  test('malformed JSON, unknown fields, wrong types and oversized bodies are 400 naming the field', async () => {
    const malformed = await stack.request('POST', '/ptest/keys', { rawBody: '{"type": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'INVALID_REQUEST', param: 'body' });
    const unknown = await stack.request('POST', '/ptest/keys', { body: { type: 'LIVE', colour: 'red' } });
    expect(unknown.body.error).toMatchObject({ code: 'INVALID_REQUEST', param: 'colour' });
    const wrongType = await stack.request('POST', '/ptest/keys', { body: { type: 7 } });
    expect(wrongType.body.error).toMatchObject({ code: 'INVALID_REQUEST', param: 'type' });
    const missing = await stack.request('POST', '/ptest/keys', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'MISSING_REQUIRED_FIELD', param: 'type' });
    const big = await stack.request('POST', '/ptest/keys', { body: { type: 'LIVE', pad: 'x'.repeat(10_000) } });
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({ code: 'INVALID_REQUEST', param: 'body' });
    const keys = await stack.graphql('{ apiKeys { id } }');
    expect(keys.body.data.apiKeys).toHaveLength(4);
  });

  test('unknown routes are 404 and wrong methods 405, in the API format', async () => {
    const missing = await stack.request('GET', '/ptest/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const method = await stack.request('PUT', '/ptest/account');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET');
  });

  test('deprecated routes answer with Deprecation and Link headers', async () => {
    const res = await stack.request('GET', '/ptest/old-account');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe('true');
    expect(res.headers.get('link')).toBe('</ptest/account>; rel="successor-version"');
  });

  test('a documented Host header routes to the API', async () => {
    const res = await stack.request('GET', '/ptest/account', { headers: { host: 'api.platform-test.example' } });
    expect(res.status).toBe(200);
  });
});

describe('errors', () => {
  test('a subgraph error keeps its code and field; an unexpected one leaks nothing', async () => {
    const conflict = await stack.graphql('{ conflict }');
    expect(conflict.body.errors[0]).toMatchObject({ message: 'Already exists', extensions: { code: 'CONFLICT', param: 'email' } });
    const rest = await stack.request('GET', '/ptest/conflict');
    expect(rest.status).toBe(409);
    expect(rest.body.error).toMatchObject({ code: 'CONFLICT', message: 'Already exists', param: 'email' });

    const boom = await stack.graphql('{ boom }');
    expect(boom.body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR' } });
    const boomRest = await stack.request('GET', '/ptest/boom');
    expect(boomRest.status).toBe(500);
    expect(boomRest.body.error.code).toBe('INTERNAL_ERROR');
    for (const body of [JSON.stringify(boom.body), JSON.stringify(boomRest.body)]) {
      expect(body).not.toMatch(/hunter2|internal\.ts|stack/);
    }
  });
});

describe('browsers', () => {
  test('CORS preflight is answered without a key, and responses expose the rate-limit headers', async () => {
    const pre = await fetch(`${stack.url}/v2/users`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    const res = await stack.graphql('{ viewer { id } }', undefined, { headers: { origin: 'https://app.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
  });
});

describe('request ids', () => {
  test('every response has one; a well-formed incoming id is kept, a malformed one replaced', async () => {
    const fresh = await stack.graphql('{ viewer { id } }');
    expect(fresh.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9]{16}$/);
    const kept = await stack.graphql('{ viewer { id } }', undefined, { headers: { 'x-request-id': 'client-id-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('client-id-12345');
    const replaced = await stack.graphql('{ viewer { id } }', undefined, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('rate limits', () => {
  test('free plan: headers on every response, 429 RATE_LIMITED after 60 requests in a minute (REST and GraphQL)', async () => {
    // Stay inside one minute window: wait if fewer than 15 s are left in this one.
    const secondsLeft = 60 - (Math.floor(Date.now() / 1000) % 60);
    if (secondsLeft < 15) await sleep(secondsLeft * 1000 + 200);
    const key = (await createApiKey(stack.db, { accountId: stack.accounts.main, type: 'live', plan: 'free' })).secret;
    const first = await stack.request('GET', '/ptest/account', { key });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(first.headers.get('x-ratelimit-window')).toBe('60');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(reset % 60).toBe(0);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 60);
    for (let i = 0; i < 58; i++) {
      const res = i % 2 ? await stack.request('GET', '/ptest/account', { key }) : await stack.graphql('{ viewer { id } }', undefined, { key });
      expect(res.status).toBe(200);
    }
    const last = await stack.graphql('{ viewer { id } }', undefined, { key });
    expect(last.status).toBe(200);
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await stack.request('GET', '/ptest/account', { key });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', request_id: limited.headers.get('x-request-id') });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(reset));
    const limitedGql = await stack.graphql('{ viewer { id } }', undefined, { key });
    expect(limitedGql.status).toBe(429);
    expect(limitedGql.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  test('two gateway processes on one database share one budget', async () => {
    const second = await stack.startGateway();
    try {
      const key = (await createApiKey(stack.db, { accountId: stack.accounts.main, type: 'live', plan: 'starter' })).secret;
      const remaining: number[] = [];
      for (let i = 0; i < 6; i++) {
        const base = i % 2 ? second.url : stack.url;
        const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { id } }' }) });
        expect(res.status).toBe(200);
        remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
      }
      // One budget: a minute rollover between two requests may reset it, never split it.
      const steps = remaining.slice(1).map((r, i) => remaining[i]! - r);
      expect(steps.filter((s) => s === 1).length).toBeGreaterThanOrEqual(4);
      expect(remaining[0]).toBeLessThanOrEqual(299);
    } finally {
      await second.stop();
    }
  });
});

describe('graceful shutdown', () => {
  test('in-flight requests finish, then the port closes', async () => {
    const second = await stack.startGateway();
    const inflight = fetch(`${second.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.live}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ slow(ms: 700) }' }),
    });
    await sleep(200);
    const stopped = second.stop();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { slow: 'done' }, extensions: { cost: { estimated: 0, actual: 0, max: 50_000 } } });
    await stopped;
    await expect(fetch(`${second.url}/health`)).rejects.toThrow();
  });
});

describe('stopping the whole stack (last)', () => {
  test('a request in flight when everything stops still completes', async () => {
    const inflight = stack.graphql('{ slow(ms: 600) viewer { id } }');
    await sleep(150);
    const stopping = stack.stop();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ slow: 'done', viewer: { id: stack.accounts.main } });
    await stopping;
    stack = undefined as unknown as Stack;
  });
});

test('JunctionError codes map to their documented status', () => {
  expect(new JunctionError('RATE_LIMITED', 'x').status).toBe(429);
});
