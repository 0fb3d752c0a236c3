// The authorization code is checked before it is spent: a client that intercepted a code cannot
// burn it (another client, another redirect URI or a wrong PKCE verifier leave it usable), and two
// concurrent exchanges of one valid code give exactly one token. Wrong methods answer in RFC 6749's
// error format. Behind a TLS-terminating trusted proxy the consent cookies are `Secure`.
import { setTrustedProxies } from '../../gateway/src/http/clientAddress.js';
import { startStack, type Stack } from '../support/startStack.js';
import { authorizeUrl, exchangeCode, hiddenFields, pkce, registerClient } from './auth-oauth-helpers.js';

const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'cora@example.com';
const REDIRECT = 'http://127.0.0.1:9/callback';
let stack: Stack;
let client: { clientId: string; clientSecret: string };
let intruder: { clientId: string; clientSecret: string };

beforeAll(async () => {
  stack = await startStack();
  client = await registerClient(stack, REDIRECT);
  intruder = await registerClient(stack, 'http://127.0.0.1:9/evil');
  await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: EMAIL, p: PASSWORD });
}, 60_000);
afterAll(() => stack?.stop());

async function authorize(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const page = await fetch(authorizeUrl(stack.url, { response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, scope: 'commerce:read', state: 's', code_challenge: challenge, code_challenge_method: 'S256' }));
  const html = await page.text();
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const approved = await fetch(`${stack.url}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...hiddenFields(html), email: EMAIL, password: PASSWORD, decision: 'approve' }).toString(),
  });
  expect(approved.status).toBe(302);
  return { code: new URL(approved.headers.get('location')!).searchParams.get('code')!, verifier };
}

test('another client, another redirect URI or a wrong verifier is refused and does not burn the code', async () => {
  const { code, verifier } = await authorize();
  const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
  const stolen = await exchangeCode(stack.url, intruder, base);
  expect(stolen.status).toBe(400);
  expect(stolen.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  expect((await exchangeCode(stack.url, client, { ...base, code_verifier: pkce().verifier })).body.error).toBe('invalid_grant');
  expect((await exchangeCode(stack.url, client, { ...base, redirect_uri: `${REDIRECT}/other` })).body.error).toBe('invalid_grant');
  const rightful = await exchangeCode(stack.url, client, base);
  expect(rightful.status).toBe(200);
  expect(rightful.body.access_token).toEqual(expect.any(String));
  // Replaying it afterwards from the intruder reveals nothing and revokes nothing.
  expect((await exchangeCode(stack.url, intruder, base)).body.error).toBe('invalid_grant');
  expect((await stack.request('GET', '/v2/users', { key: rightful.body.access_token })).status).toBe(200);
});

test('two concurrent exchanges of one valid code: exactly one succeeds', async () => {
  for (let round = 0; round < 3; round++) {
    const { code, verifier } = await authorize();
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
    const results = await Promise.all(Array.from({ length: 4 }, () => exchangeCode(stack.url, client, fields)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
    for (const r of results.filter((r) => r.status === 400)) expect(r.body.error).toBe('invalid_grant');
  }
});

test('a wrong method on the OAuth endpoints answers 405 with an RFC 6749 error body', async () => {
  for (const [method, path, allow] of [['GET', '/oauth/token', 'POST'], ['PUT', '/oauth/refresh', 'POST'], ['DELETE', '/oauth/authorize', 'GET, POST']] as const) {
    const res = await fetch(`${stack.url}${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining(method) });
  }
});

test('consent cookies are Secure behind a trusted proxy that says https, and only then', async () => {
  const { challenge } = pkce();
  const url = authorizeUrl(stack.url, { response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
  try {
    expect((await fetch(url, { headers: forwarded })).headers.get('set-cookie')).not.toMatch(/Secure/); // untrusted peer: header ignored
    setTrustedProxies('127.0.0.1, ::1');
    expect((await fetch(url)).headers.get('set-cookie')).not.toMatch(/Secure/);
    const page = await fetch(url, { headers: forwarded });
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Max-Age=600; Secure$/);
    const approved = await fetch(`${stack.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...forwarded, 'content-type': 'application/x-www-form-urlencoded', cookie: (page.headers.get('set-cookie') ?? '').split(';')[0]! },
      body: new URLSearchParams({ ...hiddenFields(await page.text()), email: EMAIL, password: PASSWORD, decision: 'approve' }).toString(),
    });
    expect(approved.status).toBe(302);
    expect(approved.headers.get('set-cookie')).toMatch(/^junction_oauth_session=.*; SameSite=Lax; Max-Age=1800; Secure$/);
  } finally {
    setTrustedProxies('');
  }
});
