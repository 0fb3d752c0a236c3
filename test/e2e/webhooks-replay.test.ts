// Replay takes an id pair (webhook, delivery): a pair that does not belong together is a 404 and
// sends nothing, on every REST surface (003 /v2, 000 /api/v2, 002 /v1 and the local root) and
// in GraphQL. "Nothing sent" is what the receiver counts and what the delivery's stored attempts say.
import { startStack, type Stack } from '../support/startStack.js';
import { startReceiver, type Receiver } from './webhooks-receiver.js';

const SECRET = 'whsec_replay_pair_secret';
let stack: Stack;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack({ env: { WEBHOOK_ALLOW_LOOPBACK: '1', WEBHOOK_POLL: '100ms', WEBHOOK_TIMEOUT: '2s', WEBHOOK_LEASE: '6s' } });
  receiver = await startReceiver(() => SECRET);
}, 120_000);

afterAll(async () => {
  await receiver?.stop().catch(() => undefined);
  await stack?.stop();
});

let n = 0;
/** Requests the receiver got for one delivery (X-TechCorp-Delivery). */
const sentOf = (deliveryId: string) => receiver.received.filter((r) => r.headers['x-techcorp-delivery'] === deliveryId).length;
const registered: string[] = [];

afterEach(async () => {
  for (const id of registered.splice(0)) await stack.request('DELETE', `/v2/webhooks/${id}`);
});

async function register(events: string[]): Promise<string> {
  const res = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events, secret: SECRET } });
  expect(res.status).toBe(201);
  registered.push(res.body.id);
  return res.body.id as string;
}

/** A user.created delivery to `webhookId`, delivered once. */
async function deliveredOnce(webhookId: string): Promise<{ id: string }> {
  const user = await stack.request('POST', '/v2/users', { body: { email: `replay${Date.now().toString(36)}${n++}@example.com`, name: 'Replay User' } });
  expect(user.status).toBe(201);
  let delivery: { id: string; status: string } | undefined;
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const list = await stack.request('GET', `/v2/webhooks/${webhookId}/deliveries`);
    delivery = (list.body.data as { id: string; status: string }[]).find((d) => d.status === 'succeeded' && receiver.received.some((r) => r.headers['x-techcorp-delivery'] === d.id && r.body.data.id === user.body.id));
    if (delivery) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(delivery).toBeDefined();
  expect(sentOf(delivery!.id)).toBe(1);
  return { id: delivery!.id };
}

async function stored(id: string) {
  return stack.db.collection('webhook_deliveries').findOne({ _id: id as never });
}

/** The delivery as stored is exactly as it was: not rescheduled, not attempted again. */
async function expectUntouched(id: string, before: Awaited<ReturnType<typeof stored>>) {
  const now = await stored(id);
  expect(now!.status).toBe('succeeded');
  expect(now!.nextAttemptAt).toBeNull();
  expect(now!.attempts).toHaveLength(before!.attempts.length);
  expect(now!.updatedAt).toEqual(before!.updatedAt);
}

/** A correct replay then goes out exactly once more: the wrong-pair calls added nothing. */
async function expectOneMoreSendAfterRightReplay(replay: () => Promise<{ status: number }>, delivery: { id: string }, okStatus: number) {
  expect((await replay()).status).toBe(okStatus);
  await receiver.waitFor(() => sentOf(delivery.id) >= 2);
  const end = Date.now() + 20_000;
  while (Date.now() < end && (await stored(delivery.id))!.status !== 'succeeded') await new Promise((r) => setTimeout(r, 50));
  const after = await stored(delivery.id);
  expect(after!.status).toBe('succeeded');
  expect(after!.attempts).toHaveLength(2);
  expect(sentOf(delivery.id)).toBe(2);
}

// Each surface's 404 body, naming what was not found: the webhook (it does not exist) or the
// delivery (not one of that webhook's).
const surfaces = [
  { base: '/v2/webhooks', notFound: (param: string) => ({ error: { code: 'RESOURCE_NOT_FOUND', message: expect.any(String), param, request_id: expect.stringMatching(/^req_/) } }) },
  { base: '/api/v2/webhooks', notFound: (param: string) => ({ error: { code: 'NOT_FOUND', message: expect.any(String), details: { [param]: expect.any(String) } } }) },
  { base: '/v1/webhooks', notFound: (param: string) => ({ error: { code: 'resource_not_found', message: expect.any(String), details: { [param]: expect.any(String) } }, request_id: expect.any(String) }) },
  { base: '/webhooks', notFound: (param: string) => ({ error: { code: 'resource_not_found', message: expect.any(String), details: { [param]: expect.any(String) } }, request_id: expect.any(String) }) },
];

describe.each(surfaces)('POST $base/:webhook_id/deliveries/:delivery_id/replay', ({ base, notFound }) => {
  it('answers 404 for a delivery under another webhook id and re-sends nothing', async () => {
    const owner = await register(['user.created']);
    const bystander = await register(['order.shipped']);
    const delivery = await deliveredOnce(owner);
    const before = await stored(delivery.id);

    for (const [wrong, param] of [['wh_doesnotexist', 'webhook_id'], [bystander, 'delivery_id']] as const) {
      const res = await stack.request('POST', `${base}/${wrong}/deliveries/${delivery.id}/replay`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound(param));
      await expectUntouched(delivery.id, before);
    }
    // Another account cannot replay it under its owner's webhook id either.
    const foreign = await stack.request('POST', `${base}/${owner}/deliveries/${delivery.id}/replay`, { key: stack.keys.otherAccountLive });
    expect(foreign.status).toBe(404);
    await expectUntouched(delivery.id, before);
    // GET deliveries of the other webhook does not list it.
    const listed = await stack.request('GET', `${base}/${bystander}/deliveries`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(delivery.id);

    await expectOneMoreSendAfterRightReplay(() => stack.request('POST', `${base}/${owner}/deliveries/${delivery.id}/replay`), delivery, 202);
  }, 60_000);
});

describe('GraphQL replayWebhookDelivery', () => {
  const REPLAY = `mutation($id: ID!, $webhookId: ID) { replayWebhookDelivery(id: $id, webhookId: $webhookId) { id webhookId status } }`;

  it('refuses a mismatched (webhookId, id) pair with RESOURCE_NOT_FOUND and re-sends nothing', async () => {
    const owner = await register(['user.created']);
    const bystander = await register(['order.shipped']);
    const delivery = await deliveredOnce(owner);
    const before = await stored(delivery.id);
    for (const wrong of ['wh_doesnotexist', bystander]) {
      const res = await stack.graphql(REPLAY, { id: delivery.id, webhookId: wrong });
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('RESOURCE_NOT_FOUND');
      await expectUntouched(delivery.id, before);
    }
    await expectOneMoreSendAfterRightReplay(async () => {
      const res = await stack.graphql(REPLAY, { id: delivery.id, webhookId: owner });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.replayWebhookDelivery).toEqual({ id: delivery.id, webhookId: owner, status: 'pending' });
      return { status: 200 };
    }, delivery, 200);
  }, 60_000);
});
