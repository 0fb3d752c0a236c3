// Where a webhook may go: public unicast addresses only, unless configuration allows loopback
// (development and tests). Checked on the resolved addresses of every attempt, so a DNS name that
// later points inside the network is refused then too. An IPv6 address that carries an IPv4 one
// (IPv4-mapped, NAT64, 6to4, IPv4-compatible) reaches that IPv4 address, so it is judged as it.
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');

const privateNets = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]] as const) privateNets.addSubnet(net, bits, 'ipv4');
privateNets.addSubnet('fc00::', 7, 'ipv6');

const reserved = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) reserved.addSubnet(net, bits, 'ipv4');
reserved.addAddress('::', 'ipv6');
reserved.addSubnet('ff00::', 8, 'ipv6');
reserved.addSubnet('2001:db8::', 32, 'ipv6');
// Tunnels whose IPv4 end cannot be read reliably from the address: Teredo (obfuscated client
// address), local-use NAT64 (RFC 8215, operator-chosen layout).
reserved.addSubnet('2001::', 32, 'ipv6');
reserved.addSubnet('64:ff9b:1::', 48, 'ipv6');

/** IPv6 prefixes that embed an IPv4 address, and where its four bytes are. */
const EMBEDDING: { prefix: [ipaddr.IPv6, number]; bytes: [number, number] }[] = [
  { prefix: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), bytes: [12, 16] }, // IPv4-mapped
  { prefix: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), bytes: [12, 16] }, // NAT64 well-known prefix (RFC 6052)
  { prefix: ipaddr.IPv6.parseCIDR('2002::/16'), bytes: [2, 6] }, // 6to4 (RFC 3056)
  { prefix: ipaddr.IPv6.parseCIDR('::/96'), bytes: [12, 16] }, // IPv4-compatible (deprecated)
];

/** The address as the network will reach it: the embedded IPv4 address when there is one. */
function effectiveAddress(address: string): { ip: string; type: 'ipv4' | 'ipv6' } {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return { ip: parsed.toString(), type: 'ipv4' };
  const v6 = parsed as ipaddr.IPv6;
  // :: and ::1 lie inside ::/96 but are IPv6's own unspecified and loopback addresses.
  if (v6.range() !== 'unspecified' && v6.range() !== 'loopback') {
    const embedding = EMBEDDING.find((e) => v6.match(e.prefix));
    if (embedding) return { ip: v6.toByteArray().slice(...embedding.bytes).join('.'), type: 'ipv4' };
  }
  return { ip: v6.toNormalizedString(), type: 'ipv6' };
}

export function classifyAddress(address: string): AddressClass {
  // node:net's strict syntax (no 0x7f.1 or zone ids): anything else is not an address to call.
  if (isIP(address) === 0 || address.includes('%')) return 'reserved';
  const { ip, type } = effectiveAddress(address);
  if (loopback.check(ip, type)) return 'loopback';
  if (linkLocal.check(ip, type)) return 'link-local';
  if (privateNets.check(ip, type)) return 'private';
  if (reserved.check(ip, type)) return 'reserved';
  return 'public';
}

export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (cls === 'loopback' && allowLoopback);
}
