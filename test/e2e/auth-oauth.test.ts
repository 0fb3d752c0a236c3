// OAuth 2.0 authorization code + PKCE (seed 001) at the HTTP level, exactly as a browser and a
// client application would drive it: GET the consent form, POST the approval with its CSRF token,
// follow the redirect (code + untouched state), exchange the code, use and refresh the token —
// and every refusal RFC 6749 lists.
import { authorizationCodes } from '../../subgraphs/auth/src/identityIndexes.js';
import { startStack, type Stack } from '../support/startStack.js';
import { authorizeUrl, exchangeCode, hiddenFields, pkce, registerClient } from './auth-oauth-helpers.js';

const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'olivia@example.com';
const REDIRECT = 'http://127.0.0.1:9/callback';
const STATE = 'xyz ä/&=?+%20';
let stack: Stack;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  stack = await startStack();
  client = await registerClient(stack, REDIRECT);
  await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: EMAIL, p: PASSWORD });
}, 60_000);
afterAll(() => stack?.stop());

async function openConsent(params: Record<string, string>) {
  const res = await fetch(authorizeUrl(stack.url, params), { redirect: 'manual' });
  return { res, html: await res.text(), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}

async function submit(fields: Record<string, string>, cookie: string) {
  return fetch(`${stack.url}/oauth/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(fields).toString() });
}

async function authorize(extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const { res, html, cookie } = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, scope: 'commerce:read', state: STATE, code_challenge: challenge, code_challenge_method: 'S256' });
  expect(res.status).toBe(200);
  const approved = await submit({ ...hiddenFields(html), email: EMAIL, password: PASSWORD, decision: 'approve', ...extra }, cookie);
  expect(approved.status).toBe(302);
  const location = new URL(approved.headers.get('location')!);
  return { location, verifier };
}

test('the consent page names the client and its scopes and is protected against framing', async () => {
  const { res, html } = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  expect(html).toContain('Acme Reports');
  expect(html).toContain('commerce:read');
  expect(hiddenFields(html).csrf_token).toBeTruthy();
});

test('approve → redirect with a code and the untouched state → token (Basic auth) → API access within the scope', async () => {
  const { location, verifier } = await authorize();
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe(STATE);
  const code = location.searchParams.get('code')!;
  expect(code).toBeTruthy();
  const token = await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
  expect(token.status).toBe(200);
  expect(token.headers.get('cache-control')).toBe('no-store');
  expect(token.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'commerce:read', access_token: expect.any(String), refresh_token: expect.any(String) });
  expect((await stack.request('GET', '/v2/users', { key: token.body.access_token })).status).toBe(200);
  expect((await stack.request('POST', '/v2/users', { key: token.body.access_token, body: { email: 'oauth-write@example.com', name: 'Oauth Write' } })).status).toBe(403);

  // The code is single-use; replaying it also revokes what it produced.
  const replay = await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
  expect(replay.status).toBe(400);
  expect(replay.body.error).toBe('invalid_grant');
  const refreshAfterReplay = await exchangeCode(stack.url, client, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token });
  expect(refreshAfterReplay.body.error).toBe('invalid_grant');
});

test('refresh at /oauth/token and /oauth/refresh (client in the body) rotates the refresh token', async () => {
  const { location, verifier } = await authorize();
  const first = await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }, 'body');
  expect(first.status).toBe(200);
  const second = await exchangeCode(stack.url, client, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
  expect(second.status).toBe(200);
  const res = await fetch(`${stack.url}/oauth/refresh`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ refresh_token: second.body.refresh_token, client_id: client.clientId, client_secret: client.clientSecret }).toString() });
  expect(res.status).toBe(200);
  const third = (await res.json()) as { access_token: string; refresh_token: string };
  expect(third.refresh_token).not.toBe(second.body.refresh_token);
  expect((await stack.request('GET', '/v2/users', { key: third.access_token })).status).toBe(200);
});

test('token endpoint refusals follow RFC 6749', async () => {
  const { location, verifier } = await authorize();
  const code = location.searchParams.get('code')!;
  const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
  const wrongSecret = await exchangeCode(stack.url, { ...client, clientSecret: 'cs_wrong' }, base);
  expect(wrongSecret.status).toBe(401);
  expect(wrongSecret.body.error).toBe('invalid_client');
  expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);
  expect((await exchangeCode(stack.url, client, { ...base, grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
  const noGrant = await exchangeCode(stack.url, client, { code });
  expect(noGrant.body.error).toBe('invalid_request');
  expect(typeof noGrant.body.error_description).toBe('string');
  // A wrong verifier or redirect_uri is invalid_grant (auth-oauth-code.test.ts: without burning the code).
  expect((await exchangeCode(stack.url, client, { ...base, code_verifier: pkce().verifier })).body.error).toBe('invalid_grant');
  const other = await authorize();
  expect((await exchangeCode(stack.url, client, { ...base, code: other.location.searchParams.get('code')!, code_verifier: other.verifier, redirect_uri: `${REDIRECT}/` })).body.error).toBe('invalid_grant');
  // Codes live 60 seconds.
  const late = await authorize();
  await authorizationCodes(stack.db).updateMany({ usedAt: null }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await exchangeCode(stack.url, client, { ...base, code: late.location.searchParams.get('code')!, code_verifier: late.verifier })).body.error).toBe('invalid_grant');
});

test('authorize refusals: unknown client and unregistered redirect never redirect; others redirect with the error and state', async () => {
  const { challenge } = pkce();
  const unknown = await openConsent({ response_type: 'code', client_id: 'cli_nope', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
  expect(unknown.res.status).toBe(400);
  expect(unknown.res.headers.get('location')).toBeNull();
  const badRedirect = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: 'https://evil.example.com/callback', code_challenge: challenge, code_challenge_method: 'S256' });
  expect(badRedirect.res.status).toBe(400);
  expect(badRedirect.res.headers.get('location')).toBeNull();
  const noPkce = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, state: STATE });
  expect(noPkce.res.status).toBe(302);
  const noPkceLocation = new URL(noPkce.res.headers.get('location')!);
  expect(noPkceLocation.searchParams.get('error')).toBe('invalid_request');
  expect(noPkceLocation.searchParams.get('state')).toBe(STATE);
  const plain = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'plain' });
  expect(new URL(plain.res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  const token = await openConsent({ response_type: 'token', client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
  expect(new URL(token.res.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  const scope = await openConsent({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, scope: 'admin', code_challenge: challenge, code_challenge_method: 'S256' });
  expect(new URL(scope.res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
});

test('deny redirects with access_denied; a wrong password re-shows the form; a missing CSRF token is refused', async () => {
  const params = { response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, state: STATE, code_challenge: pkce().challenge, code_challenge_method: 'S256' };
  const { html, cookie } = await openConsent(params);
  const denied = await submit({ ...hiddenFields(html), decision: 'deny' }, cookie);
  const deniedAt = new URL(denied.headers.get('location')!);
  expect(deniedAt.searchParams.get('error')).toBe('access_denied');
  expect(deniedAt.searchParams.get('state')).toBe(STATE);
  expect(deniedAt.searchParams.get('code')).toBeNull();
  const wrong = await submit({ ...hiddenFields(html), email: EMAIL, password: 'Wrong-Password-1', decision: 'approve' }, cookie);
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).toContain('Wrong email or password');
  const noCookie = await submit({ ...hiddenFields(html), email: EMAIL, password: PASSWORD, decision: 'approve' }, '');
  expect(noCookie.status).toBe(403);
  const { csrf_token: _dropped, ...withoutToken } = hiddenFields(html);
  expect((await submit({ ...withoutToken, email: EMAIL, password: PASSWORD, decision: 'approve' }, cookie)).status).toBe(403);
  // A token minted for another request (here: another state) does not carry over.
  expect((await submit({ ...hiddenFields(html), state: 'other', email: EMAIL, password: PASSWORD, decision: 'approve' }, cookie)).status).toBe(403);
});

test('after one sign-in the browser has a session: the next authorization asks only Approve/Deny', async () => {
  const { verifier, challenge } = pkce();
  const params = { response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, state: 'again', code_challenge: challenge, code_challenge_method: 'S256' };
  const first = await openConsent(params);
  const approved = await submit({ ...hiddenFields(first.html), email: EMAIL, password: PASSWORD, decision: 'approve' }, first.cookie);
  const session = (approved.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(session).toMatch(/^junction_oauth_session=/);
  expect(approved.headers.get('set-cookie')).toMatch(/HttpOnly/);
  const second = await fetch(authorizeUrl(stack.url, params), { headers: { cookie: session } });
  const html = await second.text();
  expect(html).toContain(`Signed in as <strong>${EMAIL}</strong>`);
  expect(html).not.toContain('type="password"');
  const csrfCookie = (second.headers.get('set-cookie') ?? '').split(';')[0]!;
  const again = await submit({ ...hiddenFields(html), decision: 'approve' }, `${csrfCookie}; ${session}`);
  expect(again.status).toBe(302);
  const code = new URL(again.headers.get('location')!).searchParams.get('code')!;
  expect((await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
  // A forged session cookie is ignored: the password is asked again.
  const forged = await fetch(authorizeUrl(stack.url, params), { headers: { cookie: session.replace(/\.[^.]+$/, '.forged') } });
  expect(await forged.text()).toContain('type="password"');
});

test('OAuth clients belong to their account: another account cannot read or revoke them', async () => {
  const other = stack.keys.otherAccountLive;
  expect((await stack.graphql('query($id: ID!) { oauthClient(id: $id) { id } }', { id: client.clientId }, { key: other })).body.data.oauthClient).toBeNull();
  expect((await stack.graphql('{ oauthClients { id } }', {}, { key: other })).body.data.oauthClients).toEqual([]);
  const revoke = await stack.graphql('mutation($id: ID!) { revokeOAuthClient(id: $id) { id } }', { id: client.clientId }, { key: other });
  expect(revoke.body.errors[0].extensions.code).toBe('RESOURCE_NOT_FOUND');
  const listed = await stack.graphql('{ oauthClients { id name redirectUris scopes } }');
  expect(JSON.stringify(listed.body)).not.toContain(client.clientSecret);
});
