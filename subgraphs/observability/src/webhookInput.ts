// Validation of webhook registration input, shared by create and update: the URL must be HTTPS
// (http and loopback only with WEBHOOK_ALLOW_LOOPBACK=1), events must be catalogue names, and the
// secret, when given, a reasonable string. Errors name the field (param) and the reason (details),
// so every REST surface can render them in its own format.
import { isIP } from 'node:net';
import { JunctionError } from '../../../platform/src/errors.js';
import { isEventType, type EventType } from '../../../platform/src/events/catalogue.js';
import { randomBase62 } from '../../../platform/src/ids.js';
import { classifyAddress } from './dispatcher/addressPolicy.js';

function invalid(field: string, reason: string, code: 'INVALID_REQUEST' | 'MISSING_REQUIRED_FIELD' = 'INVALID_REQUEST'): JunctionError {
  return new JunctionError(code, `${field}: ${reason}`, { param: field, details: { field, reason } });
}

/** `allowLoopback`: WEBHOOK_ALLOW_LOOPBACK (the subgraph context's `config.events.allowLoopback`). */
export function validateUrl(raw: string | null | undefined, allowLoopback: boolean): string {
  if (raw === undefined || raw === null || raw === '') throw invalid('url', 'is required', 'MISSING_REQUIRED_FIELD');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', 'must be an absolute URL');
  }
  if (raw.length > 2048) throw invalid('url', 'must be at most 2048 characters');
  if (url.username || url.password) throw invalid('url', 'must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || (isIP(host) !== 0 && classifyAddress(host) === 'loopback');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && allowLoopback)) {
    throw invalid('url', 'must use https');
  }
  if (loopback && !allowLoopback) throw invalid('url', 'must not point to a loopback address');
  if (isIP(host) !== 0 && classifyAddress(host) !== 'public' && !loopback) throw invalid('url', 'must not point to a private or link-local address');
  return url.toString();
}

export function validateEvents(raw: readonly string[] | null | undefined): EventType[] {
  if (raw === undefined || raw === null || raw.length === 0) throw invalid('events', 'at least one event is required', raw ? 'INVALID_REQUEST' : 'MISSING_REQUIRED_FIELD');
  const unknown = raw.filter((e) => !isEventType(e));
  if (unknown.length > 0) throw invalid('events', `unknown event ${unknown.map((e) => `"${e}"`).join(', ')}`);
  return [...new Set(raw as EventType[])];
}

export function validateSecret(raw: string | null | undefined): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw.length < 8 || raw.length > 256) throw invalid('secret', 'must be 8 to 256 characters');
  return raw;
}

export function generateSecret(): string {
  return `whsec_${randomBase62(32)}`;
}
