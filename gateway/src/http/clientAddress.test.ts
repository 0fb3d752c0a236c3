import type { IncomingMessage } from 'node:http';
import { TrustedProxies, clientAddress, isHttps } from './clientAddress.js';

const req = (remoteAddress: string | undefined, headers: Record<string, string> = {}, encrypted = false) =>
  ({ socket: { remoteAddress, encrypted }, headers }) as unknown as IncomingMessage;

const none = new TrustedProxies('');
const proxies = new TrustedProxies('10.0.0.1, 192.168.0.0/16, ::1');

test('without trusted proxies the socket peer is the client and forwarded headers are ignored', () => {
  expect(clientAddress(req('203.0.113.9', { 'x-forwarded-for': '1.1.1.1' }), none)).toBe('203.0.113.9');
  expect(clientAddress(req('::ffff:127.0.0.1'), none)).toBe('127.0.0.1');
  expect(isHttps(req('10.0.0.1', { 'x-forwarded-proto': 'https' }), none)).toBe(false);
});

test('a trusted peer: the right-most address that is not a trusted proxy is the client', () => {
  expect(clientAddress(req('10.0.0.1', { 'x-forwarded-for': '198.51.100.7' }), proxies)).toBe('198.51.100.7');
  // A forged left-most entry cannot win: 198.51.100.7 is the first untrusted hop from the right.
  expect(clientAddress(req('10.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.168.4.4' }), proxies)).toBe('198.51.100.7');
  expect(clientAddress(req('::1', { 'x-forwarded-for': '[2001:db8::5]:4711' }), proxies)).toBe('2001:db8::5');
  expect(clientAddress(req('10.0.0.1', { 'x-forwarded-for': '198.51.100.7:8080' }), proxies)).toBe('198.51.100.7');
  // Trusted peer without the header, or with garbage: the peer itself.
  expect(clientAddress(req('10.0.0.1'), proxies)).toBe('10.0.0.1');
  expect(clientAddress(req('10.0.0.1', { 'x-forwarded-for': 'not-an-ip' }), proxies)).toBe('10.0.0.1');
});

test('an untrusted peer cannot set the address or the scheme', () => {
  expect(clientAddress(req('203.0.113.9', { 'x-forwarded-for': '10.0.0.1' }), proxies)).toBe('203.0.113.9');
  expect(isHttps(req('203.0.113.9', { 'x-forwarded-proto': 'https' }), proxies)).toBe(false);
});

test('isHttps: a TLS socket, or the client-facing proxy saying https', () => {
  expect(isHttps(req('203.0.113.9', {}, true), none)).toBe(true);
  expect(isHttps(req('192.168.1.2', { 'x-forwarded-proto': 'https, http' }), proxies)).toBe(true);
  expect(isHttps(req('192.168.1.2', { 'x-forwarded-proto': 'http' }), proxies)).toBe(false);
});

test('a bad TRUSTED_PROXIES entry is refused', () => {
  expect(() => new TrustedProxies('10.0.0.1, nope')).toThrow(/nope/);
  expect(() => new TrustedProxies('10.0.0.0/33')).toThrow(/prefix/);
});
