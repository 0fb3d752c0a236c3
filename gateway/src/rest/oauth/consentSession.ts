// "Signed in" on the consent page: after a successful sign-in the browser gets an HttpOnly cookie
// naming the identity, MAC'd and valid 30 minutes, so the next authorization asks only Approve/Deny.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'junction_oauth_session';
const TTL_MS = 30 * 60 * 1000;

export class ConsentSession {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'junction', 'oauth-consent-session', 32));
  }

  private mac(identityId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${identityId}.${expires}`).digest('base64url');
  }

  cookie(identityId: string): string {
    const expires = Date.now() + TTL_MS;
    return `${SESSION_COOKIE}=${identityId}.${expires}.${this.mac(identityId, expires)}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=${TTL_MS / 1000}`;
  }

  /** The signed-in identity id, or undefined. */
  read(cookieHeader: string | undefined): string | undefined {
    const value = (cookieHeader ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
    const [identityId, expiresText, mac] = (value ?? '').split('.');
    if (!identityId || !expiresText || !mac || !/^\d+$/.test(expiresText) || Number(expiresText) < Date.now()) return undefined;
    const expected = Buffer.from(this.mac(identityId, Number(expiresText)));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? identityId : undefined;
  }
}
