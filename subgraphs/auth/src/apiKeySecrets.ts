// API key material: the prefix names the type, the rest is 32 base62 characters from the CSPRNG.
// Only the SHA-256 of a key is stored (with its prefix and last four characters for listing);
// a high-entropy random key needs no slow hash, and a plain digest keeps lookups to one indexed read.
import { createHash } from 'node:crypto';
import { randomBase62 } from '../../../platform/src/ids.js';
import type { KeyType } from '../../../platform/src/principal.js';

export const KEY_PREFIXES: Record<KeyType, string> = {
  live: 'tc_live_sk_',
  test: 'tc_test_sk_',
  readonly: 'tc_ro_sk_',
};

const KEY_PATTERN = /^(tc_live_sk_|tc_test_sk_|tc_ro_sk_)([A-Za-z0-9]{16,128})$/;

export function generateApiKey(type: KeyType): string {
  return KEY_PREFIXES[type] + randomBase62(32);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The key type its prefix names, or undefined when the string is not shaped like a key. */
export function keyTypeOf(key: string): KeyType | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return (Object.entries(KEY_PREFIXES).find(([, prefix]) => prefix === match[1])?.[0] as KeyType | undefined) ?? undefined;
}
