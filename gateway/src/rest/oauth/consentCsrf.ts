// CSRF protection of the consent form (double submit, bound to the request): the page sets a random
// nonce in an HttpOnly SameSite=Strict cookie and puts `nonce.expiry.mac` in the form, the MAC
// covering the client and redirect URI. The POST must bring both, matching, before the expiry.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'junction_oauth_csrf';
const TTL_MS = 10 * 60 * 1000;

export class ConsentCsrf {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'junction', 'oauth-consent-csrf', 32));
  }

  private mac(nonce: string, expires: number, binding: string): string {
    return createHmac('sha256', this.key).update(`${nonce}.${expires}.${binding}`).digest('base64url');
  }

  issue(binding: string): { nonce: string; token: string; cookie: string } {
    const nonce = randomBytes(18).toString('base64url');
    const expires = Date.now() + TTL_MS;
    return { nonce, token: `${nonce}.${expires}.${this.mac(nonce, expires, binding)}`, cookie: `${CSRF_COOKIE}=${nonce}; Path=/oauth; HttpOnly; SameSite=Strict; Max-Age=${TTL_MS / 1000}` };
  }

  check(token: string | undefined, cookieHeader: string | undefined, binding: string): boolean {
    const [nonce, expiresText, mac] = (token ?? '').split('.');
    if (!nonce || !expiresText || !mac || !/^\d+$/.test(expiresText) || Number(expiresText) < Date.now()) return false;
    const cookie = (cookieHeader ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${CSRF_COOKIE}=`))?.slice(CSRF_COOKIE.length + 1);
    const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
    return !!cookie && equal(cookie, nonce) && equal(mac, this.mac(nonce, Number(expiresText), binding));
  }
}
