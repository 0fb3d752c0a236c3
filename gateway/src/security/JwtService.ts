// Verifies junction's access tokens (platform/src/accessTokens.ts) with the public keys the auth
// subgraph publishes; tokens are issued by the auth subgraph, never here.
import { jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { JWT_ALG, JWT_AUDIENCE, JWT_ISSUER, type AccessClaims } from '../../../platform/src/accessTokens.js';
import type { PublicKeys } from './PublicKeys.js';

export type VerifyResult = { ok: true; claims: AccessClaims & JWTPayload } | { ok: false; reason: 'expired' | 'invalid' };

export class JwtService {
  constructor(private readonly keys: PublicKeys) {}

  /** Only ES256 with a published kid, the right issuer and audience, not expired. `alg: none`, HS256
   * with the public key as secret and any other algorithm are refused by the allow-list. */
  async verify(token: string, requestId?: string): Promise<VerifyResult> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.publicKey(header.kid, requestId) : undefined;
          if (!key) throw new joseErrors.JWKSNoMatchingKey();
          return key;
        },
        { algorithms: [JWT_ALG], issuer: JWT_ISSUER, audience: JWT_AUDIENCE, requiredClaims: ['sub', 'exp', 'iat'] },
      );
      const p = payload as Partial<AccessClaims> & JWTPayload;
      if (typeof p.acct !== 'string' || typeof p.sid !== 'string' || typeof p.scope !== 'string' || typeof p.plan !== 'string') return { ok: false, reason: 'invalid' };
      return { ok: true, claims: p as AccessClaims & JWTPayload };
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code?: string }).code === 'SERVICE_UNAVAILABLE') throw error;
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
