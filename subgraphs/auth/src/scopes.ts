// The scope vocabulary of API keys and tokens. `*` is everything; `read`/`write` cover every domain;
// `<domain>:read` / `<domain>:write` one domain (write includes read); `admin` manages keys,
// identities and OAuth clients. See platform/src/principal.ts#hasScope for how they are checked.
import { JunctionError } from '../../../platform/src/errors.js';

export const SCOPE_DOMAINS = ['commerce', 'webhooks', 'auth', 'files', 'analytics', 'cloud'] as const;

export const KNOWN_SCOPES: readonly string[] = ['*', 'read', 'write', 'admin', ...SCOPE_DOMAINS.flatMap((d) => [`${d}:read`, `${d}:write`])];

/** Deduplicated scopes, or INVALID_REQUEST naming the unknown one. */
export function validateScopes(scopes: readonly string[], param = 'scopes'): string[] {
  if (scopes.length === 0) throw new JunctionError('INVALID_REQUEST', 'At least one scope is needed', { param });
  for (const scope of scopes) {
    if (!KNOWN_SCOPES.includes(scope)) throw new JunctionError('INVALID_REQUEST', `Unknown scope "${scope}"; known: ${KNOWN_SCOPES.join(', ')}`, { param });
  }
  return [...new Set(scopes)];
}
