// Issues and verifies junction's access tokens: ES256 JWTs (jose) with iss/aud `junction`, one hour
// of life, the account, the person (`sub`), scopes, and `sid` — the refresh-token family, so logout
// or a detected token theft also stops the access tokens of that sign-in.
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { Plan } from '../../../platform/src/principal.js';
import { JWT_ALG, type SigningKeys } from './SigningKeys.js';

export const ACCESS_TOKEN_TTL_S = 3600;
export const JWT_ISSUER = 'junction';
export const JWT_AUDIENCE = 'junction';

export interface AccessClaims {
  sub: string;
  acct: string;
  plan: Plan;
  scope: string;
  sid: string;
  client_id?: string;
}

export type VerifyResult = { ok: true; claims: AccessClaims & JWTPayload } | { ok: false; reason: 'expired' | 'invalid' };

export class JwtService {
  constructor(private readonly keys: SigningKeys) {}

  async issue(claims: AccessClaims): Promise<string> {
    const { kid, key } = await this.keys.current();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: JWT_ALG, kid, typ: 'JWT' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${ACCESS_TOKEN_TTL_S}s`)
      .sign(key);
  }

  /** Only ES256 with a published kid, the right issuer and audience, not expired. `alg: none`, HS256
   * with the public key as secret and any other algorithm are refused by the allow-list. */
  async verify(token: string): Promise<VerifyResult> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.publicKey(header.kid) : undefined;
          if (!key) throw new joseErrors.JWKSNoMatchingKey();
          return key;
        },
        { algorithms: [JWT_ALG], issuer: JWT_ISSUER, audience: JWT_AUDIENCE, requiredClaims: ['sub', 'exp', 'iat'] },
      );
      const p = payload as Partial<AccessClaims> & JWTPayload;
      if (typeof p.acct !== 'string' || typeof p.sid !== 'string' || typeof p.scope !== 'string' || typeof p.plan !== 'string') return { ok: false, reason: 'invalid' };
      return { ok: true, claims: p as AccessClaims & JWTPayload };
    } catch (error) {
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
