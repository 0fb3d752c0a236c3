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
