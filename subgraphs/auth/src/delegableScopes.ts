// What a person can delegate to an OAuth client: members never hand out admin rights, whatever
// the client asked.
import type { IdentityRoleName } from './models.js';

export function delegableScopes(scopes: string[], role: IdentityRoleName): string[] {
  if (role === 'admin') return scopes;
  return [...new Set(scopes.flatMap((s) => (s === '*' ? ['read', 'write'] : s === 'admin' ? [] : [s])))];
}
