// What the consent page's two cookies share: a MAC key derived from PRINCIPAL_SECRET with HKDF per
// purpose, constant-time MAC checks, an expiry, and the cookie attributes (HttpOnly, `Secure`
// whenever the browser came over HTTPS, directly or through a trusted TLS-terminating proxy).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export interface SignedCookieOptions {
  name: string;
  /** HKDF info: each cookie has its own key. */
  purpose: string;
  ttlMs: number;
  sameSite: 'Strict' | 'Lax';
}

export class SignedCookie {
  private readonly key: Buffer;

  constructor(secret: string, readonly options: SignedCookieOptions) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'junction', options.purpose, 32));
  }

  mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  /** Whether `given` is the MAC of `text` (constant time). */
  verify(text: string, given: string): boolean {
    const expected = Buffer.from(this.mac(text));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** A fresh expiry, in ms since the epoch. */
  expiry(): number {
    return Date.now() + this.options.ttlMs;
  }

  /** Whether an expiry read back from a cookie or form is well-formed and still ahead. */
  static live(expiresText: string | undefined): boolean {
    return !!expiresText && /^\d+$/.test(expiresText) && Number(expiresText) >= Date.now();
  }

  header(value: string, secure: boolean): string {
    const { name, sameSite, ttlMs } = this.options;
    return `${name}=${value}; Path=/oauth; HttpOnly; SameSite=${sameSite}; Max-Age=${ttlMs / 1000}${secure ? '; Secure' : ''}`;
  }

  /** This cookie's value in a Cookie header, or undefined. */
  valueIn(cookieHeader: string | undefined): string | undefined {
    const prefix = `${this.options.name}=`;
    return (cookieHeader ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(prefix))?.slice(prefix.length);
  }
}
