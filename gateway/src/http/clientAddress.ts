// The client's address and scheme as a per-address limit or a redirect must see them. Behind a
// reverse proxy the socket peer is the proxy, so `X-Forwarded-For` / `X-Forwarded-Proto` are
// honoured — but only when the peer is a configured trusted proxy (TRUSTED_PROXIES: IPs and
// CIDRs, comma-separated; default none), since anyone else can write those headers. The
// forwarded chain is read right to left and the first address that is not itself a trusted proxy
// is the client (what nginx's real_ip_recursive and Express's `trust proxy` do).
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** `spec`: `"10.0.0.1, 10.1.0.0/16, ::1"`; throws on an entry that is not an IP or CIDR. */
  constructor(spec: string | readonly string[] = []) {
    const entries = (typeof spec === 'string' ? spec.split(',') : spec).map((s) => s.trim()).filter((s) => s !== '');
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address ?? '');
      if (!address || family === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR: "${entry}"`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) {
        this.list.addAddress(address, type);
        continue;
      }
      const prefix = Number(bits);
      if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`bad prefix length in "${entry}"`);
      this.list.addSubnet(address, prefix, type);
    }
    this.size = entries.length;
  }

  has(address: string | undefined): boolean {
    if (!address || this.size === 0) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) → `1.2.3.4`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function headerValues(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Strips a port and IPv6 brackets from one X-Forwarded-For entry (`[::1]:443`, `1.2.3.4:80`). */
function forwardedAddress(entry: string): string {
  if (entry.startsWith('[')) return entry.slice(1, entry.indexOf(']') > 0 ? entry.indexOf(']') : undefined);
  const colon = entry.indexOf(':');
  return colon > 0 && entry.indexOf(':', colon + 1) === -1 ? entry.slice(0, colon) : entry;
}

let configured = new TrustedProxies();

/** Sets the trusted proxies for `clientAddress` / `isHttps` (the gateway does it at start-up). */
export function setTrustedProxies(proxies: TrustedProxies | string): void {
  configured = typeof proxies === 'string' ? new TrustedProxies(proxies) : proxies;
}

/** The client's IP address (IPv4-mapped addresses unwrapped); `unknown` when the socket has none. */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies = configured): string {
  const peer = req.socket.remoteAddress;
  if (!peer) return 'unknown';
  let client = unmapped(peer);
  if (!trusted.has(peer)) return client;
  const chain = headerValues(req.headers['x-forwarded-for']).map(forwardedAddress);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i]!;
    if (isIP(unmapped(hop)) === 0) break; // garbage: stop at the last address we could trust
    client = unmapped(hop);
    if (!trusted.has(hop)) break;
  }
  return client;
}

/** Whether the client reached us over TLS: our own socket, or a trusted proxy's X-Forwarded-Proto. */
export function isHttps(req: IncomingMessage, trusted: TrustedProxies = configured): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  if (!trusted.has(req.socket.remoteAddress)) return false;
  // The client-facing proxy writes the first value; later proxies append theirs.
  return headerValues(req.headers['x-forwarded-proto'])[0]?.toLowerCase() === 'https';
}
