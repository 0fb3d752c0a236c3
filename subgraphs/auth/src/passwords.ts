// Password hashing with Node's scrypt (memory-hard; parameters stored with each hash so they can be
// raised later) and the minimum strength a new password must have.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { JunctionError } from '../../../platform/src/errors.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs what a real check costs, so an unknown
 * email answers as slowly as a wrong password (no account enumeration by timing). */
export const DUMMY_HASH = await hashPassword(randomBytes(16).toString('hex'));

/** At least 10 characters and three kinds of character (lower, upper, digit, other), or a passphrase
 * of 16+; never the email's local part. */
export function assertStrongPassword(password: string, email: string): void {
  const fail = (reason: string) => {
    throw new JunctionError('INVALID_REQUEST', `Password too weak: ${reason}`, { param: 'password', details: { field: 'password', reason } });
  };
  if (password.length > 256) fail('at most 256 characters');
  if (password.length < 10) fail('at least 10 characters');
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 16 && kinds < 3) fail('use three of lower case, upper case, digits and symbols, or 16+ characters');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) fail('must not contain the email address');
}
