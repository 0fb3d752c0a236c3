// SecureAuth (seed 001) as a client uses it: TOTP enrolment (GraphQL) and POST /auth/verify with
// an authenticator's code (RFC 6238, no replay), OTP by SMS/email through POST /otp/send (only the
// hash stored; codes read from the message provider's inbox), rate limits, error format, other accounts.
import http from 'node:http';
import { generate } from 'otplib';
import { otpCodes } from '../../subgraphs/auth/src/identityIndexes.js';
import { startOtpInbox, type OtpInbox } from './auth-otp-inbox.js';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
let inbox: OtpInbox;
let userId: string;
let secondUserId: string;
const PASSWORD = 'Correct-Horse-9';

const verify = (body: Record<string, unknown>, key?: string | null) => stack.request('POST', '/secureauth/v1/auth/verify', { body, ...(key !== undefined ? { key } : {}) });
const send = (body: Record<string, unknown>) => stack.request('POST', '/secureauth/v1/otp/send', { body });
const create = 'mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }';

beforeAll(async () => {
  inbox = await startOtpInbox();
  stack = await startStack({ env: { OTP_SENDER_URL: inbox.url } });
  userId = (await stack.graphql(create, { e: 'tess@example.com', p: PASSWORD })).body.data.createIdentity.id;
  secondUserId = (await stack.graphql(create, { e: 'tom@example.com', p: PASSWORD })).body.data.createIdentity.id;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await inbox?.close();
});

async function latestCode(identityId: string): Promise<string> {
  return inbox.latestCode(identityId);
}

test('TOTP: enrolment returns an otpauth URI; a valid code verifies once, a replay or a wrong code does not', async () => {
  const enrolled = await stack.graphql('mutation($id: ID) { enrollTotp(identityId: $id) { otpauthUri secret identity { id totpEnabled } } }', { id: userId });
  const { otpauthUri, secret, identity } = enrolled.body.data.enrollTotp;
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/junction:tess%40example\.com\?secret=[A-Z2-7]+&issuer=junction/);
  expect(identity.totpEnabled).toBe(true);
  const code = await generate({ secret });
  const ok = await verify({ user_id: userId, method: 'totp', code });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual({ verified: true, user_id: userId, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  expect((await verify({ user_id: userId, method: 'totp', code })).body.verified).toBe(false);
  const wrong = await verify({ user_id: userId, method: 'totp', code: code === '000000' ? '111111' : '000000' });
  expect(wrong.body.verified).toBe(false);
  const failed = await stack.db.collection('events').findOne({ type: 'user.mfa_failed', 'data.user_id': userId });
  expect(failed!.data).toMatchObject({ method: 'totp' });
  expect(await stack.db.collection('events').findOne({ type: 'user.authenticated', 'data.user_id': userId, 'data.method': 'totp' })).toBeTruthy();
});

test('SMS: otp/send stores only a hash, the provider gets the message; the code verifies once', async () => {
  const sent = await send({ user_id: secondUserId, method: 'sms', phone: '+1234567890' });
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ sent: true, user_id: secondUserId, method: 'sms', expires_at: expect.any(String) });
  const code = await latestCode(secondUserId);
  const stored = await otpCodes(stack.db).find({ identityId: secondUserId }).toArray();
  expect(JSON.stringify(stored)).not.toContain(code);
  expect((await verify({ user_id: secondUserId, method: 'sms', code })).body.verified).toBe(true);
  expect((await verify({ user_id: secondUserId, method: 'sms', code })).body.verified).toBe(false);
});

test('email codes go to the identity\'s own address', async () => {
  expect((await send({ user_id: secondUserId, method: 'email', email: 'attacker@example.com' })).status).toBe(400);
  expect((await send({ user_id: secondUserId, method: 'email' })).status).toBe(200);
  const code = await latestCode(secondUserId);
  expect((await verify({ user_id: secondUserId, method: 'email', code })).body.verified).toBe(true);
});

test('sending is rate-limited per phone number (across users) and per user', async () => {
  const phone = '+4915112345678';
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await send({ user_id: i % 2 ? userId : secondUserId, method: 'sms', phone })).status);
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  const limited = await send({ user_id: userId, method: 'sms', phone });
  expect(limited.status).toBe(429);
  expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED' }, request_id: expect.any(String) });
});

test('errors follow seed 001: validation, unauthenticated, another account\'s user', async () => {
  const missing = await verify({ user_id: userId, method: 'totp' });
  expect(missing.status).toBe(400);
  expect(missing.body).toMatchObject({ error: { code: 'INVALID_REQUEST', message: expect.any(String), details: expect.any(Object) }, request_id: expect.any(String) });
  expect((await verify({ user_id: userId, method: 'carrier-pigeon', code: '123456' })).status).toBe(400);
  const anonymous = await verify({ user_id: userId, method: 'totp', code: '123456' }, null);
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
  const foreign = await verify({ user_id: userId, method: 'totp', code: '123456' }, stack.keys.otherAccountLive);
  expect(foreign.status).toBe(404);
  expect(foreign.body.error.code).toBe('NOT_FOUND');
  const foreignSend = await stack.request('POST', '/secureauth/v1/otp/send', { key: stack.keys.otherAccountLive, body: { user_id: userId, method: 'sms', phone: '+1234567899' } });
  expect(foreignSend.status).toBe(404);
  const badPhone = await send({ user_id: userId, method: 'sms', phone: '12345' });
  expect(badPhone.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'phone' } });
});

test('the documented host routes to the same API', async () => {
  // fetch() does not let a caller set Host, so this one request goes through node:http.
  const { port } = new URL(stack.url);
  const body = JSON.stringify({ user_id: userId, method: 'totp', code: '123456' });
  const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/auth/verify', headers: { host: 'api.secureauth.techcorp.example.com', authorization: `Bearer ${stack.keys.live}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
  expect(answer.status).toBe(200);
  expect(answer.body.verified).toBe(false);
});

test('five wrong codes lock the user: TOTP cannot be brute-forced', async () => {
  const victim = (await stack.graphql(create, { e: 'brute@example.com', p: PASSWORD })).body.data.createIdentity.id;
  await stack.graphql('mutation($id: ID) { enrollTotp(identityId: $id) { secret } }', { id: victim });
  for (let i = 0; i < 5; i++) expect((await verify({ user_id: victim, method: 'totp', code: String(100000 + i) })).body.verified).toBe(false);
  const locked = await verify({ user_id: victim, method: 'totp', code: '123456' });
  expect(locked.status).toBe(403);
});

test('TOTP secrets are sealed at rest; a secret stored in the clear before still verifies and is sealed by that use', async () => {
  const id = (await stack.graphql(create, { e: 'sealed@example.com', p: PASSWORD })).body.data.createIdentity.id;
  const { secret } = (await stack.graphql('mutation($id: ID) { enrollTotp(identityId: $id) { secret } }', { id })).body.data.enrollTotp;
  const stored = await stack.db.collection('identities').findOne({ _id: id });
  expect(JSON.stringify(stored)).not.toContain(secret);
  expect(stored!.totp.secret).toEqual({ iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
  expect((await verify({ user_id: id, method: 'totp', code: await generate({ secret }) })).body.verified).toBe(true);

  const legacy = (await stack.graphql(create, { e: 'legacy@example.com', p: PASSWORD })).body.data.createIdentity.id;
  const plain = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  await stack.db.collection('identities').updateOne({ _id: legacy }, { $set: { totp: { secret: plain, enrolledAt: new Date(), lastStep: null } } });
  expect((await verify({ user_id: legacy, method: 'totp', code: await generate({ secret: plain }) })).body.verified).toBe(true);
  expect(JSON.stringify(await stack.db.collection('identities').findOne({ _id: legacy }))).not.toContain(plain);
});
