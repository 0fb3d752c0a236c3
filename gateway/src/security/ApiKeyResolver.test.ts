// The resolver asks the auth subgraph once per key and cache period, signed as the gateway, by hash.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { PRINCIPAL_HEADER } from '../../../platform/src/principal.js';
import { verifyPrincipal } from '../../../platform/src/principalHeader.js';
import { ApiKeyResolver } from './ApiKeyResolver.js';

const secret = 's'.repeat(40);
const key = 'tc_test_sk_' + 'k'.repeat(32);
let server: http.Server;
let url: string;
const seen: { hash: string; keyType: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const principal = verifyPrincipal(req.headers[PRINCIPAL_HEADER] as string, secret);
      const hash = JSON.parse(body).variables.keyHash as string;
      seen.push({ hash, keyType: principal?.keyType });
      const known = hash === createHash('sha256').update(key).digest('hex');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { resolveApiKey: known ? { keyId: 'key_1', accountId: 'acct_1', type: 'TEST', plan: 'STARTER', scopes: ['*'], rateLimitPerMinute: null, rateLimitPerDay: 5 } : null } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('resolves a key by its hash as the gateway service, once for concurrent and cached lookups', async () => {
  seen.length = 0;
  const resolver = new ApiKeyResolver({ authUrl: () => url, secret, cacheMs: 60_000, enterpriseLimits: { perMinute: 1, perDay: 1 } });
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => resolver.authenticate(key, `req_${i}`)));
  await resolver.authenticate(key, 'req_again');
  expect(seen).toEqual([{ hash: createHash('sha256').update(key).digest('hex'), keyType: 'service' }]);
  expect(results[0]).toEqual({
    principal: { accountId: 'acct_1', mode: 'test', keyType: 'test', plan: 'starter', scopes: ['*'], requestId: 'req_0', keyId: 'key_1' },
    limits: { perMinute: 300, perDay: 5 },
    // The key's override also applies to seed 001's minute/day scheme; the hourly scheme keeps the plan's.
    schemeLimits: {
      'techcorp-v2': { scheme: 'techcorp-v2', windows: [{ seconds: 60, limit: 300 }, { seconds: 86_400, limit: 5 }] },
      'techcorp-reference': { scheme: 'techcorp-reference', windows: [{ seconds: 60, limit: 300 }, { seconds: 86_400, limit: 5 }] },
      hourly: { scheme: 'hourly', windows: [{ seconds: 3600, limit: 10_000 }] },
    },
  });
  expect(results[9]!.principal.requestId).toBe('req_9');
});

test('unknown keys resolve to nothing (cached too); malformed ones never leave the gateway', async () => {
  seen.length = 0;
  const resolver = new ApiKeyResolver({ authUrl: () => url, secret, cacheMs: 60_000, enterpriseLimits: { perMinute: 1, perDay: 1 } });
  const unknown = 'tc_live_sk_' + 'u'.repeat(32);
  expect(await resolver.authenticate(unknown, 'r1')).toBeUndefined();
  expect(await resolver.authenticate(unknown, 'r2')).toBeUndefined();
  expect(await resolver.authenticate('Bearer nonsense', 'r3')).toBeUndefined();
  expect(seen).toHaveLength(1);
});

test('with caching off every lookup asks again (revocation is immediate)', async () => {
  seen.length = 0;
  const resolver = new ApiKeyResolver({ authUrl: () => url, secret, cacheMs: 0, enterpriseLimits: { perMinute: 1, perDay: 1 } });
  await resolver.authenticate(key, 'a');
  await resolver.authenticate(key, 'b');
  expect(seen).toHaveLength(2);
});

test('an auth subgraph that hangs or is down is a 503 SERVICE_UNAVAILABLE, not a hung request', async () => {
  // Accepts the connection and never answers.
  const hung = http.createServer(() => undefined);
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  const hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
  try {
    const resolver = new ApiKeyResolver({ authUrl: () => hungUrl, secret, cacheMs: 0, enterpriseLimits: { perMinute: 1, perDay: 1 }, timeoutMs: 200 });
    await expect(resolver.authenticate(key, 'r')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, message: expect.stringMatching(/Authentication service unavailable/) });
  } finally {
    hung.closeAllConnections();
    await new Promise<void>((r) => hung.close(() => r()));
  }
  // Nothing listening at all.
  const down = new ApiKeyResolver({ authUrl: () => hungUrl, secret, cacheMs: 0, enterpriseLimits: { perMinute: 1, perDay: 1 } });
  await expect(down.authenticate(key, 'r')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
});
