// Where a webhook may go: public unicast addresses only, unless configuration allows loopback
// (development and tests). Checked on the resolved addresses of every attempt, so a DNS name that
// later points inside the network is refused then too.
import { BlockList, isIP } from 'node:net';

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

export function classifyAddress(address: string): AddressClass {
  let family = isIP(address);
  if (family === 0) return 'reserved';
  let ip = address;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) {
    ip = mapped[1]!;
    family = 4;
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
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
