// "Signed in" on the consent page: after a successful sign-in the browser gets an HttpOnly cookie
// naming the identity, MAC'd and valid 30 minutes, so the next authorization asks only Approve/Deny.
import { SignedCookie } from './signedCookie.js';

export const SESSION_COOKIE = 'junction_oauth_session';

export class ConsentSession {
  private readonly cookie: SignedCookie;

  constructor(secret: string) {
    this.cookie = new SignedCookie(secret, { name: SESSION_COOKIE, purpose: 'oauth-consent-session', ttlMs: 30 * 60 * 1000, sameSite: 'Lax' });
  }

  header(identityId: string, secure = false): string {
    const expires = this.cookie.expiry();
    return this.cookie.header(`${identityId}.${expires}.${this.cookie.mac(`${identityId}.${expires}`)}`, secure);
  }

  /** The signed-in identity id, or undefined. */
  read(cookieHeader: string | undefined): string | undefined {
    const [identityId, expiresText, mac] = (this.cookie.valueIn(cookieHeader) ?? '').split('.');
    if (!identityId || !mac || !SignedCookie.live(expiresText)) return undefined;
    return this.cookie.verify(`${identityId}.${expiresText}`, mac) ? identityId : undefined;
  }
}
