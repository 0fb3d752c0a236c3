// Encryption at rest for secrets a server must read back (JWT private keys, TOTP secrets, webhook
// signing secrets): AES-256-GCM under a key derived with HKDF from PRINCIPAL_SECRET and a purpose
// label, so each kind of secret has its own key and a database reader learns nothing usable.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What is stored instead of the secret (all base64url). */
export interface SealedSecret {
  iv: string;
  tag: string;
  data: string;
}

export class SecretBox {
  private readonly key: Buffer;

  /** `purpose` separates keys: the same PRINCIPAL_SECRET gives a different key per purpose. */
  constructor(principalSecret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', principalSecret, 'junction', purpose, 32));
  }

  seal(plain: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
  }

  /** Undefined when the value was sealed under another secret or purpose, or was tampered with. */
  open(sealed: SealedSecret): string | undefined {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  static isSealed(value: unknown): value is SealedSecret {
    return typeof value === 'object' && value !== null && ['iv', 'tag', 'data'].every((k) => typeof (value as Record<string, unknown>)[k] === 'string');
  }
}
