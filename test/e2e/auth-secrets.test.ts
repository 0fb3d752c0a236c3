// Secrets never leave in logs or error bodies: with debug logging on, run every flow that handles a
// secret (key creation, login, refresh, OAuth client + token, OTP, failures of each) and look for
// each secret in everything written to stdout/stderr and in every response that is not the one
// meant to show it.
import { otpMessages } from '../../subgraphs/auth/src/identityIndexes.js';
import { startOtpInbox, type OtpInbox } from './auth-otp-inbox.js';
import { startStack, type Stack } from '../support/startStack.js';
import { exchangeCode, pkce, registerClient } from './auth-oauth-helpers.js';

let stack: Stack;
let inbox: OtpInbox;
const written: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  process.env.TEST_LOG_LEVEL = 'debug';
  // Captured, not echoed: debug logs of a whole stack would drown the test output.
  const capture = ((chunk: unknown, ...rest: unknown[]) => {
    written.push(String(chunk));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  inbox = await startOtpInbox();
  stack = await startStack({ env: { OTP_SENDER_URL: inbox.url } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await inbox?.close();
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  delete process.env.TEST_LOG_LEVEL;
});

test('no secret appears in logs or error bodies', async () => {
  const password = 'Sup3r-Secret-Passw0rd';
  const secrets: string[] = [password];
  const bodies: string[] = [];
  const keep = <R extends { body: any }>(r: R): R => (bodies.push(JSON.stringify(r.body)), r);

  const key = (await stack.graphql('mutation { createApiKey(type: LIVE) { secret } }')).body.data.createApiKey.secret as string;
  secrets.push(key);
  const identity = keep(await stack.graphql('mutation($p: String!) { createIdentity(email: "sam@example.com", password: $p) { id } }', { p: password })).body.data.createIdentity.id;
  keep(await stack.graphql('mutation($p: String!) { createIdentity(email: "weak@example.com", password: $p) { id } }', { p: 'weakpass' }));
  keep(await stack.request('POST', '/v1/auth/login', { key: null, body: { email: 'sam@example.com', password: `${password}x` } }));
  const login = await stack.request('POST', '/v1/auth/login', { key: null, body: { email: 'sam@example.com', password } });
  secrets.push(login.body.refresh_token, login.body.access_token);
  keep(await stack.request('POST', '/v1/auth/refresh', { key: null, body: { refresh_token: `${login.body.refresh_token}x` } }));
  const refreshed = await stack.request('POST', '/v1/auth/refresh', { key: null, body: { refresh_token: login.body.refresh_token } });
  secrets.push(refreshed.body.refresh_token);
  keep(await stack.request('POST', '/v1/auth/refresh', { key: null, body: { refresh_token: login.body.refresh_token } })); // reuse
  const client = await registerClient(stack, 'http://127.0.0.1:9/cb');
  secrets.push(client.clientSecret);
  keep(await exchangeCode(stack.url, { ...client, clientSecret: `${client.clientSecret}x` }, { grant_type: 'authorization_code', code: 'ac_x', redirect_uri: 'http://127.0.0.1:9/cb', code_verifier: pkce().verifier }));
  keep(await stack.request('POST', '/secureauth/v1/otp/send', { body: { user_id: identity, method: 'email' } }));
  const code = inbox.latestCode(identity);
  expect(await otpMessages(stack.db).countDocuments({})).toBe(0);
  secrets.push(code);
  keep(await stack.request('POST', '/secureauth/v1/auth/verify', { body: { user_id: identity, method: 'email', code: code === '000000' ? '111111' : '000000' } }));
  keep(await stack.graphql('{ apiKeys { id prefix last4 } oauthClients { id } identities { id email } }'));
  keep(await stack.request('GET', '/v2/users', { key: `${key.slice(0, -1)}Z` }));

  const logs = written.join('');
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect({ secret: secret.slice(0, 8), inLogs: logs.includes(secret) }).toEqual({ secret: secret.slice(0, 8), inLogs: false });
    expect({ secret: secret.slice(0, 8), inBodies: bodies.some((b) => b.includes(secret)) }).toEqual({ secret: secret.slice(0, 8), inBodies: false });
  }
  expect(bodies.join('')).not.toContain('weakpass');
});
