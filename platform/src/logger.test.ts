import { redact } from './logger.js';
import { isId, newId, randomBase62 } from './ids.js';

test('secret-looking fields are redacted at any depth; errors keep only name and message', () => {
  const out = redact({ apiKey: 'tc_live_sk_x', nested: { Authorization: 'Bearer x', ok: 1, list: [{ password: 'p' }] }, error: new Error('boom') });
  expect(out).toEqual({ apiKey: '[redacted]', nested: { Authorization: '[redacted]', ok: 1, list: [{ password: '[redacted]' }] }, error: { name: 'Error', message: 'boom' } });
});

test('ids are prefixed base62 with enough randomness not to repeat', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newId('usr')));
  expect(ids.size).toBe(10_000);
  for (const id of [...ids].slice(0, 100)) expect(isId('usr', id)).toBe(true);
  expect(randomBase62(40)).toMatch(/^[0-9A-Za-z]{40}$/);
  expect(isId('usr', 'prd_abcdefgh')).toBe(false);
});

test('credentials are masked by their shape in any field, message or error text, and URL query strings are dropped', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl';
  const out = JSON.stringify(
    redact({
      url: '/oauth/authorize?client_id=c1&code_challenge=abc&state=s',
      full: 'https://app.example/cb?code=AUTHCODE123&state=x',
      note: `failed for tc_live_sk_${'a'.repeat(24)} and tc_ro_sk_${'b'.repeat(24)}`,
      header: `Bearer ${jwt}`,
      body: 'grant_type=refresh_token&refresh_token=rt_SECRET1&client_secret=cs_SECRET2',
      hook: 'whsec_abcDEF123',
      error: new Error(`upstream said token=${jwt}`),
      nested: { list: ['code: OTP987654', { text: 'password=hunter2' }] },
    }),
  );
  for (const secret of ['aaaaaaaa', 'bbbbbbbb', jwt, 'rt_SECRET1', 'cs_SECRET2', 'abcDEF123', 'AUTHCODE123', 'code_challenge=abc', 'OTP987654', 'hunter2']) expect(out).not.toContain(secret);
  expect(out).toContain('/oauth/authorize?[redacted]');
  expect(out).toContain('https://app.example/cb?[redacted]');
  // Ordinary text is left alone.
  expect(redact('order ord_123 shipped to /v2/orders/ord_123')).toBe('order ord_123 shipped to /v2/orders/ord_123');
});
