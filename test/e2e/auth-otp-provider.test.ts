// OTP_SENDER_URL plugs in a real message provider: each one-time code is POSTed there as JSON
// (nothing is recorded in otp_messages), and a failing provider fails the send with a retryable 503.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { otpMessages } from '../../subgraphs/auth/src/identityIndexes.js';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
let provider: http.Server;
const received: any[] = [];
let failNext = false;

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (failNext) {
        failNext = false;
        res.writeHead(502).end();
        return;
      }
      received.push(JSON.parse(text));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  stack = await startStack({ env: { OTP_SENDER_URL: `http://127.0.0.1:${(provider.address() as AddressInfo).port}/sms` } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => provider.close(r));
});

test('codes go to the configured provider and verify; a failing provider is a 503', async () => {
  const id = (await stack.graphql('mutation { createIdentity(email: "pia@example.com", password: "Correct-Horse-9") { id } }')).body.data.createIdentity.id;
  const sent = await stack.request('POST', '/secureauth/v1/otp/send', { body: { user_id: id, method: 'sms', phone: '+33612345678' } });
  expect(sent.status).toBe(200);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ channel: 'sms', to: '+33612345678', user_id: id });
  const code = /(\d{6})/.exec(received[0].text)![1]!;
  expect((await stack.request('POST', '/secureauth/v1/auth/verify', { body: { user_id: id, method: 'sms', code } })).body.verified).toBe(true);
  expect(await otpMessages(stack.db).countDocuments({})).toBe(0);
  failNext = true;
  const failed = await stack.request('POST', '/secureauth/v1/otp/send', { body: { user_id: id, method: 'sms', phone: '+33612345678' } });
  expect(failed.status).toBe(503);
  expect(failed.body.error.message).toMatch(/provider/);
});
