import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
  it('is the same in pieces as whole', () => {
    const b = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.');
    expect(crc32c(b, 0, 21)).not.toBe(crc32c(b));
    expect(crc32c(b.subarray(5, 30))).toBe(crc32c(b, 5, 30));
  });
});
