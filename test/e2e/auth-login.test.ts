// CloudPioneer sign-in (seeds 002/004) and junction's JWTs as a client uses them: login at /v1 and
// at the root, the token on REST and GraphQL, the JWKS, refusals (alg none, bad signature, wrong
// audience, expired), refresh rotation with reuse detection, logout, slow-down and lockout, events.
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeys } from '../../subgraphs/auth/src/SigningKeys.js';
import { identities } from '../../subgraphs/auth/src/identityIndexes.js';
import { startStack, type Stack } from '../support/startStack.js';

const PASSWORD = 'Correct-Horse-9';
let stack: Stack;
let adminEmail: string;
let memberEmail: string;

const login = (email: string, password: string, path = '/v1/auth/login') => stack.request('POST', path, { key: null, body: { email, password } });

beforeAll(async () => {
  stack = await startStack();
  adminEmail = 'ada@example.com';
  memberEmail = 'max@example.com';
  const create = 'mutation($email: String!, $password: String!, $role: IdentityRole) { createIdentity(email: $email, password: $password, role: $role) { id email role } }';
  expect((await stack.graphql(create, { email: adminEmail, password: PASSWORD, role: 'ADMIN' })).body.data.createIdentity.role).toBe('ADMIN');
  expect((await stack.graphql(create, { email: memberEmail, password: PASSWORD, role: 'MEMBER' })).body.data.createIdentity.role).toBe('MEMBER');
}, 60_000);
afterAll(() => stack?.stop());

test('weak passwords and duplicate emails are refused when creating an identity', async () => {
  const create = 'mutation($email: String!, $password: String!) { createIdentity(email: $email, password: $password) { id } }';
  const weak = await stack.graphql(create, { email: 'weak@example.com', password: 'password' });
  expect(weak.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  expect(weak.body.errors[0].message).toMatch(/too weak/);
  const dup = await stack.graphql(create, { email: adminEmail.toUpperCase(), password: PASSWORD });
  expect(dup.body.errors[0].extensions.code).toBe('CONFLICT');
  const stored = await identities(stack.db).findOne({ email: adminEmail });
  expect(stored!.passwordHash).toMatch(/^scrypt\$/);
  expect(stored!.passwordHash).not.toContain(PASSWORD);
});

test('POST /v1/auth/login and /auth/login answer the documented body; the token works on REST and GraphQL', async () => {
  for (const path of ['/v1/auth/login', '/auth/login']) {
    const res = await login(adminEmail, PASSWORD, path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const token = res.body.access_token as string;
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
    const rest = await stack.request('GET', '/v2/users?limit=1', { key: token });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-ratelimit-limit')).toBeTruthy();
    const gql = await stack.graphql('{ viewer { id name } }', {}, { key: token });
    expect(gql.body.data.viewer.id).toBe(stack.accounts.main);
  }
});

test('the JWKS at /.well-known/jwks.json verifies the tokens and exposes no private part', async () => {
  const token = (await login(adminEmail, PASSWORD)).body.access_token as string;
  const jwks = await stack.request('GET', '/.well-known/jwks.json', { key: null });
  expect(jwks.status).toBe(200);
  for (const key of jwks.body.keys) {
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.d).toBeUndefined();
  }
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body), { issuer: 'junction', audience: 'junction' });
  expect(payload).toMatchObject({ acct: stack.accounts.main, scope: '*' });
  const stored = await stack.db.collection('jwt_signing_keys').findOne({});
  expect(JSON.stringify(stored)).not.toMatch(/"d":/);
});

test('alg none, a bad signature, the wrong audience and an expired token are refused with 401', async () => {
  const token = (await login(adminEmail, PASSWORD)).body.access_token as string;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  const flipped = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), acct: stack.accounts.other })).toString('base64url')}.${signature}`;
  // Tokens signed with the real key but wrong claims (the key is read the way the gateway reads it).
  const keys = new SigningKeys({ db: stack.db, secret: stack.principalSecret, tokenTtlMs: 3_600_000 });
  const { kid, key } = await keys.current();
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const sign = (aud: string, exp: number) => new SignJWT({ ...claims, aud, exp }).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
  const wrongAudience = await sign('someone-else', Math.floor(Date.now() / 1000) + 600);
  const expired = await sign('junction', Math.floor(Date.now() / 1000) - 10);
  for (const bad of [none, flipped, tampered, wrongAudience, expired]) {
    const rest = await stack.request('GET', '/v2/users', { key: bad });
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe('UNAUTHORIZED');
    expect((await stack.graphql('{ viewer { id } }', {}, { key: bad })).status).toBe(401);
  }
  const expiredAnswer = await stack.request('GET', '/v2/users', { key: expired });
  expect(expiredAnswer.body.error.message).toMatch(/expired/i);
});

test('refresh rotates the token; reusing an old one revokes the whole sign-in', async () => {
  const first = (await login(adminEmail, PASSWORD)).body;
  const refresh = (token: string) => stack.request('POST', '/v1/auth/refresh', { key: null, body: { refresh_token: token } });
  const second = await refresh(first.refresh_token);
  expect(second.status).toBe(200);
  expect(second.body.refresh_token).not.toBe(first.refresh_token);
  expect((await stack.request('GET', '/v2/users', { key: second.body.access_token })).status).toBe(200);
  // A thief replays the first refresh token: refused, and the legitimate successor dies with it.
  const replay = await refresh(first.refresh_token);
  expect(replay.status).toBe(401);
  expect(replay.body).toMatchObject({ error: { code: 'unauthorized' }, request_id: expect.any(String) });
  expect((await refresh(second.body.refresh_token)).status).toBe(401);
  expect((await stack.request('GET', '/v2/users', { key: second.body.access_token })).status).toBe(401);
});

test('logout revokes the refresh token and the access tokens of that sign-in, at once', async () => {
  const tokens = (await login(adminEmail, PASSWORD, '/auth/login')).body;
  expect((await stack.request('GET', '/v2/users', { key: tokens.access_token })).status).toBe(200);
  const out = await stack.request('POST', '/auth/logout', { key: null, body: { refresh_token: tokens.refresh_token } });
  expect(out.status).toBe(204);
  expect((await stack.request('POST', '/auth/refresh', { key: null, body: { refresh_token: tokens.refresh_token } })).status).toBe(401);
  let status = 200;
  for (let i = 0; i < 20 && status !== 401; i++) {
    status = (await stack.request('GET', '/v2/users', { key: tokens.access_token })).status;
    if (status !== 401) await new Promise((r) => setTimeout(r, 50));
  }
  expect(status).toBe(401);
});

test('a member may use data but not administer; the token carries only the member scopes', async () => {
  const token = (await login(memberEmail, PASSWORD)).body.access_token as string;
  expect((await stack.request('POST', '/v2/users', { key: token, body: { email: 'by-member@example.com', name: 'By Member' } })).status).toBe(201);
  const admin = await stack.graphql('mutation { createApiKey(type: LIVE) { secret } }', {}, { key: token });
  expect(admin.body.errors[0].extensions.code).toBe('FORBIDDEN');
});

test('bad requests and wrong passwords answer in CloudPioneer format; repeated failures slow down, then lock', async () => {
  const missing = await stack.request('POST', '/v1/auth/login', { key: null, body: { email: adminEmail } });
  expect(missing.status).toBe(400);
  expect(missing.body).toMatchObject({ error: { code: 'invalid_request', details: { field: 'password' } }, request_id: expect.any(String) });
  const unknown = await login('nobody@example.com', PASSWORD);
  expect(unknown.status).toBe(401);
  const victim = 'locked@example.com';
  await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: victim, p: PASSWORD });
  for (let i = 0; i < 5; i++) {
    const wrong = await login(victim, 'Wrong-Password-1');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'unauthorized', message: 'Invalid email or password' });
  }
  const locked = await login(victim, PASSWORD);
  expect(locked.status).toBe(403);
  expect(locked.body.error.message).toMatch(/locked/);
  const identity = await stack.graphql('{ identities { email lockedUntil } }');
  expect(identity.body.data.identities.find((i: { email: string }) => i.email === victim).lockedUntil).toBeTruthy();
});

test('a successful login writes user.authenticated to the outbox; secrets never appear in it', async () => {
  await login(adminEmail, PASSWORD);
  const events = await stack.db.collection('events').find({ type: 'user.authenticated', accountId: stack.accounts.main }).toArray();
  expect(events.length).toBeGreaterThan(0);
  expect(events[0]!.data).toMatchObject({ user_id: expect.stringMatching(/^user_/), method: 'password' });
  expect(JSON.stringify(events)).not.toContain(PASSWORD);
});

test('signing key rotation: tokens of a new key are accepted at once, tokens of the old key until they expire', async () => {
  const before = (await login(adminEmail, PASSWORD)).body.access_token as string;
  // Another gateway (here: the same key store opened directly) rotates.
  const keys = new SigningKeys({ db: stack.db, secret: stack.principalSecret, tokenTtlMs: 3_600_000 });
  const { kid, key } = await keys.rotate();
  expect(kid).not.toBe(decodeProtectedHeader(before).kid);
  const claims = JSON.parse(Buffer.from(before.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const after = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(key);
  await new Promise((r) => setTimeout(r, 1100)); // the gateway reloads keys for an unknown kid at most once a second
  expect((await stack.request('GET', '/v2/users', { key: after })).status).toBe(200);
  expect((await stack.request('GET', '/v2/users', { key: before })).status).toBe(200);
  const published = (await keys.jwks()).keys.map((k) => k.kid);
  expect(published).toEqual(expect.arrayContaining([kid, decodeProtectedHeader(before).kid]));
});

test('an unknown email answers exactly as a known one: 401 five times, then locked with 403; no address is stored', async () => {
  const known = 'known-twin@example.com';
  const unknown = 'unknown-twin@example.com';
  await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: known, p: PASSWORD });
  const answers = async (email: string) => {
    const out: Array<{ status: number; error: Record<string, unknown> }> = [];
    for (let i = 0; i < 6; i++) {
      const res = await login(email, 'Wrong-Password-1');
      const { details, ...error } = res.body.error;
      out.push({ status: res.status, error: { ...error, ...(details?.locked_until ? { locked: true } : {}) } });
    }
    return out;
  };
  const knownAnswers = await answers(known);
  expect(knownAnswers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 403]);
  expect(await answers(unknown)).toEqual(knownAnswers);
  expect((await stack.graphql('{ identities { email } }')).body.data.identities.map((i: { email: string }) => i.email)).not.toContain(unknown);
  const stored = JSON.stringify(await stack.db.collection('signin_failures').find({}).toArray());
  expect(stored).not.toContain('unknown-twin');
});
