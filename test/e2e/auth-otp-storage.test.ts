// The default OTP sender (no OTP_SENDER_URL) records each message in otp_messages with the code
// masked, so nothing stored lets a database reader sign in; and the send limit holds under
// parallel requests (20 at once for one user: exactly 5 accepted).
import { otpCodes, otpMessages } from '../../subgraphs/auth/src/identityIndexes.js';
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;
const create = 'mutation($e: String!) { createIdentity(email: $e, password: "Correct-Horse-9") { id } }';
const send = (body: Record<string, unknown>) => stack.request('POST', '/secureauth/v1/otp/send', { body });

beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.stop());

test('the recorded message has the code masked; only the code hash is stored', async () => {
  const id = (await stack.graphql(create, { e: 'mona@example.com' })).body.data.createIdentity.id;
  expect((await send({ user_id: id, method: 'sms', phone: '+15550100200' })).status).toBe(200);
  const messages = await otpMessages(stack.db).find({ identityId: id }).toArray();
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ channel: 'sms', to: '+15550100200', text: expect.stringContaining('******') });
  expect(messages[0]!.text).not.toMatch(/\d{6}/);
  expect(await otpCodes(stack.db).countDocuments({ identityId: id })).toBe(1);
});

test('20 parallel sends for one user: exactly 5 accepted, the rest 429', async () => {
  const id = (await stack.graphql(create, { e: 'para@example.com' })).body.data.createIdentity.id;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send({ user_id: id, method: 'sms', phone: `+1555010${String(1000 + i)}` })));
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  expect(await otpCodes(stack.db).countDocuments({ identityId: id })).toBe(5);
});
