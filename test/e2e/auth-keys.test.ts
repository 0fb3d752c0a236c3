// API key lifecycle as an account admin uses it over GraphQL: create (secret shown once), list
// (prefix + last four), per-key scopes and expiry, rotation with 24 h overlap, and revocation that
// every gateway applies at once (two gateways, default 5 s key cache: auth's revocation record in the outbox drops it).
import { apiKeys } from '../../subgraphs/auth/src/store.js';
import { CREDENTIALS_REVOKED, INTERNAL_ACCOUNT } from '../../platform/src/events/credentialRevocations.js';
import { EVENTS_COLLECTION } from '../../platform/src/events/outbox.js';
import { startStack, type Stack } from '../support/startStack.js';

const KEY_FIELDS = 'id type prefix last4 plan scopes name createdAt revokedAt expiresAt rotatedToId';
const CREATE = `mutation($type: ApiKeyType!, $scopes: [String!], $expiresAt: String, $name: String, $rotate: Boolean) {
  createApiKey(type: $type, scopes: $scopes, expiresAt: $expiresAt, name: $name, rotate: $rotate) { secret apiKey { ${KEY_FIELDS} } } }`;
const VIEWER = '{ viewer { id } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.stop());

async function create(variables: Record<string, unknown>, key = stack.keys.live) {
  const res = await stack.graphql(CREATE, variables, { key });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createApiKey as { secret: string; apiKey: Record<string, any> };
}

test('a created key is shown once, listed by prefix and last four, and works', async () => {
  const created = await create({ type: 'LIVE', name: 'ci deploy' });
  expect(created.secret).toMatch(/^tc_live_sk_[A-Za-z0-9]{32}$/);
  expect(created.apiKey).toMatchObject({ prefix: 'tc_live_sk_', last4: created.secret.slice(-4), scopes: ['*'], name: 'ci deploy', expiresAt: null });
  const list = await stack.graphql(`{ apiKeys { ${KEY_FIELDS} } }`);
  expect(JSON.stringify(list.body)).not.toContain(created.secret);
  expect(list.body.data.apiKeys.map((k: { id: string }) => k.id)).toContain(created.apiKey.id);
  expect((await stack.graphql(VIEWER, {}, { key: created.secret })).status).toBe(200);
  // The stored document holds the hash, never the key.
  const stored = await apiKeys(stack.db).findOne({ _id: created.apiKey.id });
  expect(JSON.stringify(stored)).not.toContain(created.secret.slice(11));
});

test('per-key scopes: a commerce:read key reads but cannot write or manage keys; unknown scopes are refused', async () => {
  const { secret } = await create({ type: 'LIVE', scopes: ['commerce:read'] });
  const read = await stack.request('GET', '/v2/users', { key: secret });
  expect(read.status).toBe(200);
  const write = await stack.request('POST', '/v2/users', { key: secret, body: { email: 'scoped@example.com', name: 'Scoped User' } });
  expect(write.status).toBe(403);
  expect(write.body.error.code).toBe('FORBIDDEN');
  const admin = await stack.graphql(CREATE, { type: 'LIVE' }, { key: secret });
  expect(admin.body.errors[0].extensions.code).toBe('FORBIDDEN');
  const writer = await create({ type: 'LIVE', scopes: ['commerce:write'] });
  expect((await stack.request('POST', '/v2/users', { key: writer.secret, body: { email: 'scoped-writer@example.com', name: 'Scoped Writer' } })).status).toBe(201);
  // Read scopes are per domain too: a commerce-only key cannot list webhooks, a webhooks key cannot read users.
  expect((await stack.request('GET', '/v2/webhooks', { key: secret })).status).toBe(403);
  const hooks = await create({ type: 'LIVE', scopes: ['webhooks:read'] });
  expect((await stack.request('GET', '/v2/webhooks', { key: hooks.secret })).status).toBe(200);
  expect((await stack.request('GET', '/v2/users', { key: hooks.secret })).status).toBe(403);
  expect((await stack.graphql('{ users { data { id } } }', {}, { key: hooks.secret })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  const bad = await stack.graphql(CREATE, { type: 'LIVE', scopes: ['everything'] });
  expect(bad.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
});

test('a key with an expiry stops working by itself', async () => {
  const { secret } = await create({ type: 'LIVE', expiresAt: new Date(Date.now() + 1500).toISOString() });
  expect((await stack.graphql(VIEWER, {}, { key: secret })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1700));
  // The gateway's cache never outlives the key: the change stream or the 5 s cache, whichever first;
  // expiry itself is checked by the auth subgraph at each lookup.
  let status = 0;
  for (let i = 0; i < 40 && status !== 401; i++) {
    status = (await stack.graphql(VIEWER, {}, { key: secret })).status;
    if (status !== 401) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(401);
});

test('rotation: the new key works, the old one keeps working with a 24 h expiry, then stops', async () => {
  const old = await create({ type: 'TEST', scopes: ['commerce:read', 'commerce:write'] });
  const rotated = await stack.graphql(`mutation($id: ID!) { rotateApiKey(id: $id) { secret apiKey { ${KEY_FIELDS} } } }`, { id: old.apiKey.id });
  expect(rotated.body.errors).toBeUndefined();
  const fresh = rotated.body.data.rotateApiKey;
  expect(fresh.secret).toMatch(/^tc_test_sk_/);
  expect(fresh.apiKey.scopes).toEqual(['commerce:read', 'commerce:write']);
  const before = (await stack.graphql(`query($id: ID!) { apiKey(id: $id) { ${KEY_FIELDS} } }`, { id: old.apiKey.id })).body.data.apiKey;
  expect(before.rotatedToId).toBe(fresh.apiKey.id);
  const hours = (Date.parse(before.expiresAt) - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(23.9);
  expect(hours).toBeLessThanOrEqual(24);
  expect((await stack.request('GET', '/v2/users', { key: old.secret })).status).toBe(200);
  expect((await stack.request('GET', '/v2/users', { key: fresh.secret })).status).toBe(200);
  // 24 hours later (moved by editing the stored expiry, as the clock would): the old key is refused.
  // A direct edit is no revocation (nothing announces it), so a gateway that looked the key up
  // already answers from its cache until that entry ends — as it would 24 h later, long after.
  await apiKeys(stack.db).updateOne({ _id: old.apiKey.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  let status = 0;
  for (const until = Date.now() + 30_000; Date.now() < until && status !== 401; ) {
    status = (await stack.request('GET', '/v2/users', { key: old.secret })).status;
    if (status !== 401) await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(401);
  expect((await stack.request('GET', '/v2/users', { key: fresh.secret })).status).toBe(200);
});

test('createApiKey(rotate: true): every other key of that type gets the 24 h overlap, other types do not', async () => {
  const a = await create({ type: 'READONLY' });
  const b = await create({ type: 'READONLY', rotate: true });
  const list = (await stack.graphql(`{ apiKeys { ${KEY_FIELDS} } }`)).body.data.apiKeys as Record<string, any>[];
  expect(list.find((k) => k.id === a.apiKey.id)!.rotatedToId).toBe(b.apiKey.id);
  expect(list.find((k) => k.id === b.apiKey.id)!.expiresAt).toBeNull();
  expect(list.filter((k) => k.type === 'LIVE' && k.rotatedToId === b.apiKey.id)).toHaveLength(0);
});

test('revocation is effective at once on every gateway (cache 5 s; outbox revocation record)', async () => {
  const second = await stack.startGateway();
  try {
    const { secret, apiKey } = await create({ type: 'LIVE' });
    const viaSecond = () => fetch(`${second.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: VIEWER }) });
    expect((await viaSecond()).status).toBe(200); // now cached on the second gateway
    expect((await stack.graphql(VIEWER, {}, { key: secret })).status).toBe(200); // and on the first
    const revoked = await stack.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: apiKey.id });
    expect(revoked.body.data.revokeApiKey.revokedAt).toBeTruthy();
    const started = Date.now();
    let secondStatus = 200;
    while (secondStatus !== 401 && Date.now() - started < 4000) {
      secondStatus = (await viaSecond()).status;
      if (secondStatus !== 401) await new Promise((r) => setTimeout(r, 25));
    }
    const elapsed = Date.now() - started;
    expect(secondStatus).toBe(401);
    expect(elapsed).toBeLessThan(1500); // well under the 5 s cache period
    expect((await stack.graphql(VIEWER, {}, { key: secret })).status).toBe(401);
    // The announcement is in the outbox, under no account: the account's own event feed never lists it.
    expect(await stack.db.collection(EVENTS_COLLECTION).countDocuments({ type: CREDENTIALS_REVOKED, accountId: INTERNAL_ACCOUNT })).toBeGreaterThan(0);
    const feed = await stack.graphql('{ events(limit: 100) { id type } }');
    expect(feed.body.errors).toBeUndefined();
    const internalIds = (await stack.db.collection<{ _id: string }>(EVENTS_COLLECTION).find({ type: CREDENTIALS_REVOKED }).toArray()).map((e) => e._id);
    expect(feed.body.data.events.filter((e: { id: string }) => internalIds.includes(e.id))).toEqual([]);
  } finally {
    await second.stop();
  }
});

test('another account cannot see, rotate or revoke these keys', async () => {
  const { apiKey } = await create({ type: 'LIVE' });
  const other = stack.keys.otherAccountLive;
  expect((await stack.graphql(`query($id: ID!) { apiKey(id: $id) { id } }`, { id: apiKey.id }, { key: other })).body.data.apiKey).toBeNull();
  const rotate = await stack.graphql(`mutation($id: ID!) { rotateApiKey(id: $id) { secret } }`, { id: apiKey.id }, { key: other });
  expect(rotate.body.errors[0].extensions.code).toBe('RESOURCE_NOT_FOUND');
  const revoke = await stack.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: apiKey.id }, { key: other });
  expect(revoke.body.errors[0].extensions.code).toBe('RESOURCE_NOT_FOUND');
  expect((await stack.graphql(`{ apiKeys { id } }`, {}, { key: other })).body.data.apiKeys.map((k: { id: string }) => k.id)).not.toContain(apiKey.id);
});
