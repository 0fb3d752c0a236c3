// Each REST surface answers with its own document's rate limits (see planLimits.ts): seed 003's
// /v2 (per minute and day, with X-RateLimit-Window), seed 001's SecureAuth (per minute and day,
// Basic 60/10,000) and the hourly surfaces of seeds 000 (/api/v2) and 002/004 (/v1), each with
// its own budget for the same key.
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { RATE_LIMIT_ENTERPRISE_PER_HOUR: '12345' } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const limitHeaders = (headers: Headers) => ({
  limit: headers.get('x-ratelimit-limit'),
  remaining: Number(headers.get('x-ratelimit-remaining')),
  reset: Number(headers.get('x-ratelimit-reset')),
  window: headers.get('x-ratelimit-window'),
});

test('each surface reports its own scheme, and schemes do not share a budget', async () => {
  const key = stack.keys.free;
  const hourlyBefore = await stack.request('GET', '/api/v2/webhooks', { key });
  expect(hourlyBefore.status).toBe(200);
  const hourly = limitHeaders(hourlyBefore.headers);
  // Seed 000: Free tier 1,000 requests an hour; reset at the end of the hour, in Unix seconds.
  expect(hourly).toMatchObject({ limit: '1000', window: null });
  expect(hourly.reset % 3600).toBe(0);
  expect(hourly.reset - Date.now() / 1000).toBeLessThanOrEqual(3600);

  // Seed 003 (/v2): 60 a minute with X-RateLimit-Window, counted apart from the hourly budget.
  const v2 = [];
  for (let i = 0; i < 3; i++) v2.push(limitHeaders((await stack.request('GET', '/v2/users', { key })).headers));
  expect(v2[0]).toMatchObject({ limit: '60', window: '60' });
  expect(v2[2]!.remaining).toBe(v2[0]!.remaining - 2);

  // Seed 001 (SecureAuth): Basic 60 a minute, no Window header; a request refused by validation
  // has still been counted and says so.
  const secure = await stack.request('POST', '/secureauth/v1/auth/verify', { key, body: {} });
  expect(secure.status).toBe(400);
  expect(limitHeaders(secure.headers)).toMatchObject({ limit: '60', remaining: 59, window: null });

  // Seeds 002/004 (/v1) share the hourly scheme with 000: one budget, untouched by the /v2 and SecureAuth hits.
  const hourlyAfter = limitHeaders((await stack.request('GET', '/v1/webhooks', { key })).headers);
  expect(hourlyAfter).toMatchObject({ limit: '1000', remaining: hourly.remaining - 1, window: null });

  // Enterprise's hourly limit is configured (RATE_LIMIT_ENTERPRISE_PER_HOUR).
  expect((await stack.request('GET', '/api/v2/webhooks')).headers.get('x-ratelimit-limit')).toBe('12345');
});
