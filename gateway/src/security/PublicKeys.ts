// The public keys that verify junction's access tokens, asked of the auth subgraph (`jwks`, as the
// gateway's service principal) — the gateway never sees a private key nor auth's key collection.
// Cached; an unknown `kid` (auth rotated) reloads, at most once a second.
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { JWT_ALG } from '../../../platform/src/accessTokens.js';
import { authServiceQuery, type AuthServiceTarget } from './authServiceQuery.js';

const JWKS_QUERY = 'query Jwks { jwks }';
const RELOAD_MS = 60_000;

export class PublicKeys {
  private loaded: { at: number; jwks: { keys: JWK[] } } | undefined;
  private loading: Promise<{ keys: JWK[] }> | undefined;
  private readonly imported = new Map<string, CryptoKey>();

  constructor(private readonly auth: AuthServiceTarget) {}

  /** The JWKS document (public keys only). */
  async jwks(requestId = 'jwks'): Promise<{ keys: JWK[] }> {
    if (this.loaded && Date.now() - this.loaded.at < RELOAD_MS) return this.loaded.jwks;
    return this.load(requestId);
  }

  /** Public key for a `kid`, reloading once when the kid is new. */
  async publicKey(kid: string, requestId = 'jwks'): Promise<CryptoKey | undefined> {
    const cached = this.imported.get(kid);
    if (cached) return cached;
    let jwk = (await this.jwks(requestId)).keys.find((k) => k.kid === kid);
    if (!jwk && this.loaded && Date.now() - this.loaded.at > 1000) jwk = (await this.load(requestId)).keys.find((k) => k.kid === kid);
    if (!jwk) return undefined;
    const key = (await importJWK(jwk, JWT_ALG)) as CryptoKey;
    this.imported.set(kid, key);
    return key;
  }

  private load(requestId: string): Promise<{ keys: JWK[] }> {
    this.loading ??= (async () => {
      try {
        const { jwks } = await authServiceQuery<{ jwks: string }>(this.auth, 'Jwks', JWKS_QUERY, {}, requestId);
        const parsed = JSON.parse(jwks) as { keys: JWK[] };
        this.loaded = { at: Date.now(), jwks: parsed };
        return parsed;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
