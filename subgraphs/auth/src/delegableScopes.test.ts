import { delegableScopes } from './delegableScopes.js';

test('a member never delegates admin rights', () => {
  expect(delegableScopes(['*'], 'member')).toEqual(['read', 'write']);
  expect(delegableScopes(['admin', 'commerce:read'], 'member')).toEqual(['commerce:read']);
  expect(delegableScopes(['admin'], 'admin')).toEqual(['admin']);
});
