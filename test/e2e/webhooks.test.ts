// Webhooks end to end: registration on the three documented surfaces (000 /api/v2, 003 /v2,
// 002 /v1 and the local root) with their error formats, the GraphQL equivalent, and delivery to a
// real local receiver that checks every signature with the seeds' own code (Node verifyWebhook
// from 003, Python verify_signature from 001), through a receiver outage, retries, failure and
// replay. The retry schedule is compressed by WEBHOOK_RETRY_SCHEDULE.
import { startStack, type Stack } from '../support/startStack.js';
import { startReceiver, verifyWithPython, type Receiver } from './webhooks-receiver.js';

const SECRET = 'whsec_your_signing_secret';
let stack: Stack;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack({
    env: { WEBHOOK_ALLOW_LOOPBACK: '1', WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,600ms,800ms,1s', WEBHOOK_POLL: '100ms', WEBHOOK_TIMEOUT: '1s', WEBHOOK_LEASE: '3s' },
  });
  receiver = await startReceiver(() => SECRET);
}, 120_000);

afterAll(async () => {
  await receiver?.stop().catch(() => undefined);
  await stack?.stop();
});

let n = 0;
const unique = (p: string) => `${p}${Date.now().toString(36)}${(n++).toString(36)}`;

async function createUser(key = stack.keys.live) {
  const res = await stack.request('POST', '/v2/users', { key, body: { email: `${unique('u')}@example.com`, name: 'Hook User' } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('registration', () => {
  it('POST /v2/webhooks (003) registers with the documented request and answers 201', async () => {
    const res = await stack.request('POST', '/v2/webhooks', { body: { url: 'https://your-server.com/webhooks/techcorp', events: ['order.created', 'order.shipped', 'user.deleted'], secret: SECRET } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^wh_/),
      url: 'https://your-server.com/webhooks/techcorp',
      events: ['order.created', 'order.shipped', 'user.deleted'],
      status: 'active',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const got = await stack.request('GET', `/v2/webhooks/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const list = await stack.request('GET', '/v2/webhooks');
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(res.body.id);
    const patched = await stack.request('PATCH', `/v2/webhooks/${res.body.id}`, { body: { events: ['order.created'] } });
    expect(patched.status).toBe(200);
    expect(patched.body.events).toEqual(['order.created']);
    expect((await stack.request('DELETE', `/v2/webhooks/${res.body.id}`)).status).toBe(204);
    const gone = await stack.request('GET', `/v2/webhooks/${res.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: 'RESOURCE_NOT_FOUND', message: expect.any(String), param: 'webhook_id', request_id: expect.stringMatching(/^req_/) } });
  });

  it('POST /api/v2/webhooks (000) and POST /v1/webhooks, /webhooks (002) register the same way', async () => {
    const body = { url: 'https://example.com/webhook', events: ['resource.created', 'job.completed'], secret: 'webhook_signing_secret' };
    const a = await stack.request('POST', '/api/v2/webhooks', { body });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: expect.stringMatching(/^wh_/), url: body.url, events: body.events, status: 'active' });
    const b = await stack.request('POST', '/v1/webhooks', { body: { ...body, events: ['resource.created', 'resource.updated'] } });
    expect(b.status).toBe(201);
    // Seed 002's documented response fields.
    expect(b.body).toMatchObject({ id: expect.any(String), url: 'https://example.com/webhook', events: ['resource.created', 'resource.updated'], status: 'active', created_at: expect.any(String) });
    const c = await stack.request('POST', '/webhooks', { body });
    expect(c.status).toBe(201);
    const listed = await stack.request('GET', '/v1/webhooks');
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining([a.body.id, b.body.id, c.body.id]));
  });

  it('rejects unknown events and non-HTTPS URLs in each surface\'s error format', async () => {
    const badEvent = { url: 'https://example.com/hook', events: ['order.created', 'order.exploded'], secret: SECRET };
    const v2 = await stack.request('POST', '/v2/webhooks', { body: badEvent });
    expect(v2.status).toBe(400);
    expect(v2.body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringContaining('order.exploded'), param: 'events', request_id: expect.any(String) } });
    const cloud = await stack.request('POST', '/api/v2/webhooks', { body: badEvent });
    expect(cloud.status).toBe(400);
    expect(cloud.body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String), details: { field: 'events', reason: expect.stringContaining('order.exploded') } } });
    const plain = { url: 'http://example.com/hook', events: ['resource.created'], secret: SECRET };
    const v1 = await stack.request('POST', '/v1/webhooks', { body: plain });
    expect(v1.status).toBe(400);
    expect(v1.body).toEqual({ error: { code: 'invalid_request', message: expect.any(String), details: { field: 'url', reason: 'must use https' } }, request_id: expect.any(String) });
    const root = await stack.request('POST', '/webhooks', { body: plain });
    expect(root.body.error.code).toBe('invalid_request');
    const missing = await stack.request('POST', '/v2/webhooks', { body: { events: ['order.created'] } });
    expect(missing.body.error).toMatchObject({ code: 'MISSING_REQUIRED_FIELD', param: 'url' });
    // Private addresses are refused at registration too (loopback is allowed in this stack).
    expect((await stack.request('POST', '/v2/webhooks', { body: { ...badEvent, events: ['order.created'], url: 'https://10.1.2.3/hook' } })).status).toBe(400);
  });

  it('has a GraphQL equivalent; a generated secret is shown once; readonly keys cannot register', async () => {
    const created = await stack.graphql(`mutation { createWebhook(input: { url: "https://example.com/gql", events: ["payment.failed"] }) { secret webhook { id events status secretHint } } }`);
    expect(created.body.errors).toBeUndefined();
    const { secret, webhook } = created.body.data.createWebhook;
    expect(secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    expect(webhook.secretHint).toBe(`…${secret.slice(-4)}`);
    const listed = await stack.graphql('{ webhooks { id url } }');
    expect(listed.body.data.webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const ro = await stack.request('POST', '/v2/webhooks', { key: stack.keys.readonly, body: { url: 'https://example.com/x', events: ['order.created'] } });
    expect(ro.status).toBe(403);
    // Another account does not see it.
    const other = await stack.request('GET', `/v2/webhooks/${webhook.id}`, { key: stack.keys.otherAccountLive });
    expect(other.status).toBe(404);
  });
});

describe('delivery', () => {
  it('delivers signed events that the seeds\' Node and Python verifiers accept, only of the endpoint\'s account and mode', async () => {
    receiver.received.length = 0;
    const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created', 'user.deleted'], secret: SECRET } });
    expect(reg.status).toBe(201);
    const users = [await createUser(), await createUser()];
    await stack.request('DELETE', `/v2/users/${users[0]!.id}`);
    // Not this endpoint's: another account's and the sandbox's users.
    await createUser(stack.keys.otherAccountLive);
    await createUser(stack.keys.test);
    await receiver.waitFor((r) => r.received.length >= 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(3);
    for (const got of receiver.received) {
      expect(got.verified).toBe(true);
      expect(got.headers['x-techcorp-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(Number(got.headers['x-techcorp-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(got.headers['x-techcorp-event-id']).toBe(got.body.id);
      expect(got.headers['content-type']).toBe('application/json');
      expect(Object.keys(got.body)).toEqual(['id', 'event', 'timestamp', 'data']);
      expect(got.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(receiver.received.map((r) => [r.body.event, r.body.data.id]).sort()).toEqual(
      [['user.created', users[0]!.id], ['user.created', users[1]!.id], ['user.deleted', users[0]!.id]].sort(),
    );
    const python = verifyWithPython(receiver.received.map((r) => ({ payload: r.raw, signature: String(r.headers['x-techcorp-signature']), secret: SECRET })));
    expect(python).toEqual([true, true, true]);
    // A wrong secret does not verify (the check is real).
    expect(verifyWithPython([{ payload: receiver.received[0]!.raw, signature: String(receiver.received[0]!.headers['x-techcorp-signature']), secret: 'whsec_other' }])).toEqual([false]);
    const deliveries = await stack.request('GET', `/v2/webhooks/${reg.body.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toHaveLength(3);
    for (const d of deliveries.body.data) {
      expect(d).toMatchObject({ status: 'succeeded', attempts: [{ number: 1, status_code: 200, error: null, duration_ms: expect.any(Number) }] });
    }
    await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
  });

  it('retries while the receiver is down and delivers everything once it is back', async () => {
    receiver.received.length = 0;
    receiver.acceptedIds().clear();
    const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created'], secret: SECRET } });
    await createUser();
    await receiver.waitFor((r) => r.acceptedIds().size === 1);
    await receiver.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createUser()).id);
    // Let a couple of attempts fail against the closed port.
    await new Promise((r) => setTimeout(r, 700));
    await receiver.restart();
    await receiver.waitFor((r) => r.acceptedIds().size === 6, 20_000);
    const delivered = receiver.received.filter((r) => ids.includes(String(r.body.data.id)));
    expect(new Set(delivered.map((r) => r.body.data.id))).toEqual(new Set(ids));
    expect(delivered.every((r) => r.verified)).toBe(true);
    const list = await stack.request('GET', `/v2/webhooks/${reg.body.id}/deliveries?limit=10`);
    const retried = list.body.data.filter((d: { attempts: unknown[] }) => d.attempts.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const d of retried) {
      expect(d.attempts[0]).toMatchObject({ status_code: null, error: expect.any(String) });
      expect(d.attempts.at(-1)).toMatchObject({ status_code: 200, error: null });
    }
    expect(list.body.data.every((d: { status: string }) => d.status === 'succeeded')).toBe(true);
    await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
  }, 60_000);

  it('marks a delivery failed after the whole schedule, then replays it by API (REST and GraphQL)', async () => {
    receiver.received.length = 0;
    receiver.status = 500;
    const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created'], secret: SECRET } });
    const user = await createUser();
    // 1 attempt + 5 retries (200ms … 1s).
    let deliveries: any[] = [];
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      deliveries = (await stack.request('GET', `/v2/webhooks/${reg.body.id}/deliveries?status=failed`)).body.data;
      if (deliveries.length === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(deliveries).toHaveLength(1);
    const failed = deliveries[0];
    expect(failed.attempts).toHaveLength(6);
    expect(failed.attempts.every((a: { status_code: number; error: string }) => a.status_code === 500 && a.error === 'HTTP 500')).toBe(true);
    expect(failed.next_attempt_at).toBeNull();
    expect(receiver.received).toHaveLength(6);
    expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1); // every retry carries identical bytes

    receiver.status = 200;
    const replay = await stack.request('POST', `/v2/webhooks/${reg.body.id}/deliveries/${failed.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.status).toBe('pending');
    await receiver.waitFor((r) => r.acceptedIds().has(failed.event_id));
    const after = await stack.graphql(`query($id: ID!) { webhookDelivery(id: $id) { status attempts { number statusCode } } }`, { id: failed.id });
    expect(after.body.data.webhookDelivery.status).toBe('succeeded');
    expect(after.body.data.webhookDelivery.attempts).toHaveLength(7);
    expect(receiver.received.at(-1)!.body.data.id).toBe(user.id);

    // GraphQL replay of a succeeded delivery sends it again, same event id.
    const again = await stack.graphql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status } }`, { id: failed.id });
    expect(again.body.data.replayWebhookDelivery.status).toBe('pending');
    await receiver.waitFor((r) => r.received.filter((x) => x.body.id === failed.event_id).length === 8);
    await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
  }, 60_000);

  it('refuses delivery to a receiver that stalls past the timeout, and retries it', async () => {
    receiver.received.length = 0;
    receiver.delayMs = 1500;
    const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['user.created'], secret: SECRET } });
    await createUser();
    const end = Date.now() + 10_000;
    let attempts: any[] = [];
    while (Date.now() < end) {
      attempts = (await stack.request('GET', `/v2/webhooks/${reg.body.id}/deliveries`)).body.data[0]?.attempts ?? [];
      if (attempts.length >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(attempts[0]).toMatchObject({ status_code: null, error: 'timeout after 1000 ms' });
    receiver.delayMs = 0;
    await stack.request('DELETE', `/v2/webhooks/${reg.body.id}`);
  }, 30_000);
});
