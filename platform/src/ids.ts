// Prefixed random identifiers (`usr_…`, `prd_…`, `ord_…`, `evt_…`): base62 from the CSPRNG, with
// rejection sampling so every character is uniformly likely.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue; // 248 = 62 * 4: keep the distribution uniform
      out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `newId('usr')` → `usr_` + 16 base62 characters (~95 bits). */
export function newId(prefix: string, length = 16): string {
  return `${prefix}_${randomBase62(length)}`;
}

export function isId(prefix: string, value: unknown): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[0-9A-Za-z]{6,64}$`).test(value);
}
