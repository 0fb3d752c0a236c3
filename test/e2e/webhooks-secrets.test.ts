// Webhook signing secrets are sealed at rest: the stored endpoint holds no plain secret, yet every
// delivery verifies with the seeds' own verifiers (003's verifyWebhook, 001's Python
// verify_signature). An endpoint stored before sealing (plain secret) still signs, and is sealed
// at its first delivery.
import { startStack, type Stack } from '../support/startStack.js';
import { startReceiver, verifyWithPython, type Receiver } from './webhooks-receiver.js';

const SECRET = 'whsec_sealed_at_rest_secret_1234';
let stack: Stack;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack({ env: { WEBHOOK_ALLOW_LOOPBACK: '1', WEBHOOK_POLL: '100ms' } });
  receiver = await startReceiver(() => SECRET);
}, 120_000);

afterAll(async () => {
  await receiver?.stop().catch(() => undefined);
  await stack?.stop();
});

const endpointDoc = (id: string) => stack.db.collection('webhook_endpoints').findOne({ _id: id as never });

async function deliverUser(): Promise<string> {
  const user = await stack.request('POST', '/v2/users', { body: { email: `seal${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`, name: 'Seal User' } });
  expect(user.status).toBe(201);
  await receiver.waitFor((r) => r.received.some((x) => x.body.data.id === user.body.id));
  return user.body.id;
}

it('stores no plain secret, and deliveries verify with the Node and Python verifiers', async () => {
  const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created'], secret: SECRET } });
  expect(reg.status).toBe(201);
  const doc = await endpointDoc(reg.body.id);
  expect(JSON.stringify(doc)).not.toContain(SECRET);
  expect(doc!.secret).toEqual({ iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
  // The hint still shows the secret's end.
  const gql = await stack.graphql(`query($id: ID!) { webhook(id: $id) { secretHint } }`, { id: reg.body.id });
  expect(gql.body.data.webhook.secretHint).toBe(`…${SECRET.slice(-4)}`);

  const userId = await deliverUser();
  const got = receiver.received.find((r) => r.body.data.id === userId)!;
  expect(got.verified).toBe(true);
  expect(verifyWithPython([{ payload: got.raw, signature: String(got.headers['x-techcorp-signature']), secret: SECRET }])).toEqual([true]);

  // A new secret by PATCH is sealed too.
  const rotated = 'whsec_rotated_secret_abcdefgh';
  expect((await stack.request('PATCH', `/v2/webhooks/${reg.body.id}`, { body: { secret: rotated } })).status).toBe(200);
  expect(JSON.stringify(await endpointDoc(reg.body.id))).not.toContain(rotated);
  await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
});

it('an endpoint stored with a plain secret still delivers verifiably and is sealed on first use', async () => {
  const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created'], secret: 'whsec_placeholder_value' } });
  expect(reg.status).toBe(201);
  // As written before sealing existed.
  await stack.db.collection('webhook_endpoints').updateOne({ _id: reg.body.id }, { $set: { secret: SECRET }, $unset: { secretHint: '' } });
  const userId = await deliverUser();
  const got = receiver.received.find((r) => r.body.data.id === userId)!;
  expect(got.verified).toBe(true);
  const doc = await endpointDoc(reg.body.id);
  expect(JSON.stringify(doc)).not.toContain(SECRET);
  expect(doc!.secretHint).toBe(SECRET.slice(-4));
  await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
});
