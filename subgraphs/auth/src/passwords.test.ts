import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js';

test('scrypt hashes verify the right password only, and differ per salt', async () => {
  const a = await hashPassword('Correct-Horse-9');
  const b = await hashPassword('Correct-Horse-9');
  expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('Correct-Horse-9', a)).toBe(true);
  expect(await verifyPassword('correct-horse-9', a)).toBe(false);
  expect(await verifyPassword('Correct-Horse-9', 'not-a-hash')).toBe(false);
});

test('minimum strength: length, kinds of character or a long passphrase, not the email', () => {
  const ok = (p: string) => () => assertStrongPassword(p, 'ada.lovelace@example.com');
  expect(ok('short1A!')).toThrow(/at least 10/);
  expect(ok('alllowercaseletters')).not.toThrow(); // 16+ characters: a passphrase
  expect(ok('lowercase12')).toThrow(/three of/);
  expect(ok('Lowercase12')).not.toThrow();
  expect(ok('my-Ada.Lovelace-1')).toThrow(/email/);
  expect(ok('x'.repeat(300))).toThrow(/256/);
});
