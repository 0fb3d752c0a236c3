// CSRF protection of the consent form (double submit, bound to the request): the page sets a random
// nonce in an HttpOnly SameSite=Strict cookie and puts `nonce.expiry.mac` in the form, the MAC
// covering the client and redirect URI. The POST must bring both, matching, before the expiry.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SignedCookie } from './signedCookie.js';

export const CSRF_COOKIE = 'junction_oauth_csrf';

export class ConsentCsrf {
  private readonly cookie: SignedCookie;

  constructor(secret: string) {
    this.cookie = new SignedCookie(secret, { name: CSRF_COOKIE, purpose: 'oauth-consent-csrf', ttlMs: 10 * 60 * 1000, sameSite: 'Strict' });
  }

  issue(binding: string, secure = false): { nonce: string; token: string; cookie: string } {
    const nonce = randomBytes(18).toString('base64url');
    const expires = this.cookie.expiry();
    return { nonce, token: `${nonce}.${expires}.${this.cookie.mac(`${nonce}.${expires}.${binding}`)}`, cookie: this.cookie.header(nonce, secure) };
  }

  check(token: string | undefined, cookieHeader: string | undefined, binding: string): boolean {
    const [nonce, expiresText, mac] = (token ?? '').split('.');
    if (!nonce || !mac || !SignedCookie.live(expiresText)) return false;
    const cookie = this.cookie.valueIn(cookieHeader);
    const sameNonce = !!cookie && cookie.length === nonce.length && timingSafeEqual(Buffer.from(cookie), Buffer.from(nonce));
    return sameNonce && this.cookie.verify(`${nonce}.${expiresText}.${binding}`, mac);
  }
}
