import { classifyAddress, isAllowedAddress } from './addressPolicy.js';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['not an address', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  // IPv6 forms that carry an IPv4 address reach that address (through a NAT64 or 6to4 relay, or
  // the host's own stack): they are what the IPv4 address is.
  it.each([
    // IPv4-mapped ::ffff:0:0/96, dotted and hex
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    // NAT64 well-known prefix 64:ff9b::/96
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
    // 6to4 2002::/16: the IPv4 address is in bits 16–47
    ['2002:a00:1::', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'link-local'],
    ['2002:808:808::1', 'public'],
    // IPv4-compatible ::/96 (deprecated, still routed by some stacks)
    ['::10.0.0.1', 'private'],
    ['::7f00:1', 'loopback'],
    ['::a9fe:a9fe', 'link-local'],
  ])('%s is %s (its embedded IPv4 address)', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('refuses tunnels whose IPv4 end cannot be read from the address (Teredo, local-use NAT64)', () => {
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toBe('reserved');
    expect(classifyAddress('64:ff9b:1::a00:1')).toBe('reserved');
  });
});

describe('isAllowedAddress', () => {
  it('allows public addresses, and loopback only when configured', () => {
    expect(isAllowedAddress('8.8.8.8', false)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', false)).toBe(false);
    expect(isAllowedAddress('127.0.0.1', true)).toBe(true);
    expect(isAllowedAddress('64:ff9b::7f00:1', true)).toBe(true);
    expect(isAllowedAddress('64:ff9b::a00:1', true)).toBe(false);
    expect(isAllowedAddress('2002:a00:1::', true)).toBe(false);
    expect(isAllowedAddress('::ffff:192.168.0.1', true)).toBe(false);
  });
});
