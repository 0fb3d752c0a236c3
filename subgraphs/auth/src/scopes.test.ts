import { hasScope, type Principal } from '../../../platform/src/principal.js';
import { validateScopes } from './scopes.js';

const p = (scopes: string[]): Principal => ({ accountId: 'a', mode: 'live', keyType: 'live', plan: 'free', scopes, requestId: 'r' });

test('scope inclusion: * > write > read; a domain write includes its read; admin only by name or *', () => {
  expect(hasScope(p(['*']), 'admin')).toBe(true);
  expect(hasScope(p(['write']), 'commerce:write')).toBe(true);
  expect(hasScope(p(['write']), 'webhooks:read')).toBe(true);
  expect(hasScope(p(['write']), 'admin')).toBe(false);
  expect(hasScope(p(['read']), 'commerce:read')).toBe(true);
  expect(hasScope(p(['read']), 'commerce:write')).toBe(false);
  expect(hasScope(p(['commerce:write']), 'commerce:read')).toBe(true);
  expect(hasScope(p(['commerce:write']), 'webhooks:read')).toBe(false);
  expect(hasScope(p(['commerce:read']), 'commerce:write')).toBe(false);
});

test('unknown or empty scope lists are refused; duplicates collapse', () => {
  expect(() => validateScopes(['commerce:delete'])).toThrow(/Unknown scope/);
  expect(() => validateScopes([])).toThrow(/At least one/);
  expect(validateScopes(['read', 'read', 'commerce:write'])).toEqual(['read', 'commerce:write']);
});
