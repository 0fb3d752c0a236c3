import { createHash } from 'node:crypto';
import { pkceMatches, sameSecret } from './oauthClients.js';

test('PKCE S256: the verifier must hash to the challenge and be 43-128 unreserved characters', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'; // RFC 7636 appendix B
  expect(pkceMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
  expect(pkceMatches(verifier.slice(0, -1) + 'l', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
  expect(pkceMatches('short', createHash('sha256').update('short').digest('base64url'))).toBe(false);
});

test('client secrets compare by hash', () => {
  const hash = createHash('sha256').update('cs_secret').digest('hex');
  expect(sameSecret('cs_secret', hash)).toBe(true);
  expect(sameSecret('cs_secreT', hash)).toBe(false);
});
