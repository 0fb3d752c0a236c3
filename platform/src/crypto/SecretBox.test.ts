import { SecretBox } from './SecretBox.js';

describe('SecretBox', () => {
  const secret = 'a'.repeat(43);
  it('round-trips and never stores the plain value', () => {
    const box = new SecretBox(secret, 'totp-secrets');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(JSON.stringify(sealed)).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(SecretBox.isSealed(sealed)).toBe(true);
  });
  it('refuses another purpose, another secret and a tampered value', () => {
    const sealed = new SecretBox(secret, 'totp-secrets').seal('x');
    expect(new SecretBox(secret, 'webhook-secrets').open(sealed)).toBeUndefined();
    expect(new SecretBox('b'.repeat(43), 'totp-secrets').open(sealed)).toBeUndefined();
    expect(new SecretBox(secret, 'totp-secrets').open({ ...sealed, data: sealed.data.slice(1) + 'A' })).toBeUndefined();
  });
});
