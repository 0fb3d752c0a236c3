// Who is calling: resolved once per request by the gateway and passed to subgraphs in a signed
// header (see principalHeader.ts). Every subgraph read and write is filtered by accountId + mode.
export type KeyType = 'live' | 'test' | 'readonly';
/** Test keys see only the account's sandbox data. */
export type Mode = 'live' | 'test';
export type Plan = 'free' | 'starter' | 'pro' | 'enterprise';

export interface Principal {
  accountId: string;
  mode: Mode;
  /** How the caller authenticated: an API key of a type, a JWT (identity issue), or `service` for
   * the gateway's own internal calls (e.g. resolving an API key through the auth subgraph). */
  keyType: KeyType | 'jwt' | 'service';
  plan: Plan;
  /** Scopes such as `commerce:read`, `commerce:write`, `admin`; `*` means all. */
  scopes: string[];
  requestId: string;
  keyId?: string;
  subject?: string;
}

export const PRINCIPAL_HEADER = 'x-junction-principal';

export function canWrite(principal: Principal): boolean {
  return principal.keyType !== 'readonly';
}

/** `*` holds every scope; `write` holds every `<domain>:write` and `<domain>:read`; `read` every
 * `<domain>:read`; `<domain>:write` holds `<domain>:read`. `admin` is held only by `*` or itself. */
export function hasScope(principal: Principal, scope: string): boolean {
  const held = principal.scopes;
  if (held.includes('*') || held.includes(scope)) return true;
  const [domain, level] = scope.split(':');
  if (level === 'write') return held.includes('write');
  if (level === 'read') return held.includes('read') || held.includes('write') || held.includes(`${domain}:write`);
  return false;
}
