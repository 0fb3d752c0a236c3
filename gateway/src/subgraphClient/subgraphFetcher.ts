import { PRINCIPAL_HEADER, type Principal } from '../../../platform/src/principal.js';
import { createUndiciFetcher, type SubgraphFetcher } from './createUndiciFetcher.js';
import { principalKey } from '../dedup/withInflightDedup.js';

/** Headers that differ per request without changing the answer: left out of the merge key. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', PRINCIPAL_HEADER]);

/** The caller identity inside the gateway's own signed principal header (signature not needed: we made it). */
function principalOf(header: string | undefined): string | null {
  if (!header) return '';
  const dot = header.indexOf('.');
  try {
    const decoded = JSON.parse(Buffer.from(dot > 0 ? header.slice(0, dot) : header, 'base64url').toString('utf8')) as { p?: Principal };
    return principalKey({ principal: decoded.p });
  } catch {
    return null;
  }
}

/**
 * Merge key of a subgraph request: only queries (the gateway's body starts with the operation
 * text), for the same subgraph URL, body, caller identity and other headers. Mutations and
 * anything unrecognised go out on their own.
 */
export function subgraphDedupKey(url: string, init: Parameters<SubgraphFetcher>[1]): string | null {
  const body = typeof init?.body === 'string' ? init.body : null;
  if (!body || !/^\{"query":"(query\b|\{)/.test(body) || (init?.method ?? 'GET') !== 'POST') return null;
  const headers = init?.headers ?? {};
  let other = '';
  let principal: string | null = '';
  for (const name of Object.keys(headers).sort()) {
    const lower = name.toLowerCase();
    if (lower === PRINCIPAL_HEADER) principal = principalOf(headers[name]);
    else if (!PER_REQUEST_HEADERS.has(lower)) other += `${lower}:${headers[name]}\n`;
  }
  if (principal === null) return null;
  return `${url}\u0000${principal}\u0000${other}\u0000${body}`;
}

/**
 * The process-wide subgraph fetcher: one set of undici keep-alive pools shared by every data
 * source, with identical in-flight subgraph queries of one caller merged (as Hive Gateway does by
 * default for its upstream requests).
 */
export const subgraphFetcher = createUndiciFetcher({ dedupKey: subgraphDedupKey });
