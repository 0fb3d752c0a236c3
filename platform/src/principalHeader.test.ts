import { signPrincipal, verifyPrincipal, PRINCIPAL_HEADER_TTL_MS } from './principalHeader.js';
import type { Principal } from './principal.js';

const principal: Principal = { accountId: 'acc_1', mode: 'live', keyType: 'live', plan: 'free', scopes: ['*'], requestId: 'req_1' };
const secret = 'x'.repeat(32);

test('a signed principal verifies with the same secret', () => {
  expect(verifyPrincipal(signPrincipal(principal, secret), secret)).toEqual(principal);
});

test('a forged, tampered, stale or missing header is refused', () => {
  const header = signPrincipal(principal, secret);
  expect(verifyPrincipal(header, 'y'.repeat(32))).toBeUndefined();
  const [payload, sig] = header.split('.');
  const tampered = Buffer.from(JSON.stringify({ p: { ...principal, accountId: 'acc_2' }, t: Date.now() })).toString('base64url');
  expect(verifyPrincipal(`${tampered}.${sig}`, secret)).toBeUndefined();
  expect(verifyPrincipal(`${payload}.`, secret)).toBeUndefined();
  expect(verifyPrincipal(signPrincipal(principal, secret, Date.now() - PRINCIPAL_HEADER_TTL_MS - 1), secret)).toBeUndefined();
  expect(verifyPrincipal(undefined, secret)).toBeUndefined();
  expect(verifyPrincipal('garbage', secret)).toBeUndefined();
});
