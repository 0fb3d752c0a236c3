// The gateway → subgraph trust boundary. The gateway signs the principal it authenticated; a
// subgraph accepts a request only with a valid, fresh signature, so reaching a subgraph port
// directly grants nothing. Format: base64url(JSON {p: principal, t: ms}) "." base64url(HMAC-SHA256).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.js';

/** A signed header is valid this long (covers clock skew between processes and slow hops). */
export const PRINCIPAL_HEADER_TTL_MS = 60_000;

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signPrincipal(principal: Principal, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ p: principal, t: now })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** Returns the principal, or undefined when the header is missing, forged, malformed or stale. */
export function verifyPrincipal(header: string | undefined, secret: string, now = Date.now()): Principal | undefined {
  if (!header || header.length > 8192) return undefined;
  const dot = header.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = header.slice(0, dot);
  const given = Buffer.from(header.slice(dot + 1), 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: Principal; t?: number };
    if (typeof decoded.t !== 'number' || Math.abs(now - decoded.t) > PRINCIPAL_HEADER_TTL_MS) return undefined;
    const p = decoded.p;
    if (!p || typeof p.accountId !== 'string' || (p.mode !== 'live' && p.mode !== 'test') || !Array.isArray(p.scopes)) return undefined;
    return p;
  } catch {
    return undefined;
  }
}
