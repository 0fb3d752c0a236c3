// One delivery attempt over node:http(s), with the outbound rules: the host is resolved here and
// every address checked (public only; loopback when allowed), the connection is pinned to the
// checked address (no second lookup an attacker could answer differently), redirects are not
// followed (node:http never does), the whole attempt has a deadline, and at most `responseLimit`
// bytes of the answer are read.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, isAllowedAddress } from './addressPolicy.js';

export interface SendOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowLoopback: boolean;
  responseLimitBytes: number;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export async function sendWebhook(options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (o: Omit<AttemptOutcome, 'durationMs'>): AttemptOutcome => ({ ...o, durationMs: Math.round(performance.now() - started) });
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return done({ statusCode: null, error: `unsupported protocol ${url.protocol}`, responseBody: null });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    return done({ statusCode: null, error: `DNS lookup failed: ${(error as Error).message}`, responseBody: null });
  }
  const refused = addresses.find((a) => !isAllowedAddress(a.address, options.allowLoopback));
  if (refused || addresses.length === 0) {
    return done({ statusCode: null, error: `refused: ${host} resolves to a ${refused ? classifyAddress(refused.address) : 'missing'} address`, responseBody: null });
  }
  const pinned = addresses[0]!;
  const pinnedLookup: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (o: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(o));
    };
    const req = transport.request(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup: pinnedLookup,
        headers: { ...options.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < options.responseLimitBytes) chunks.push(chunk.subarray(0, options.responseLimitBytes - size));
          size += chunk.length;
          // Past the limit nothing more is read: the socket is dropped.
          if (size > options.responseLimitBytes) res.destroy();
        });
        const end = () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          finish({ statusCode: status, error: ok ? null : `HTTP ${status}`, responseBody: Buffer.concat(chunks).toString('utf8') });
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `timeout after ${options.timeoutMs} ms`, responseBody: null });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error) => finish({ statusCode: null, error: error.message, responseBody: null }));
    req.end(options.body);
  });
}
