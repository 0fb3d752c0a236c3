// Signs junction's access tokens (platform/src/accessTokens.ts) with the newest signing key.
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TTL_S, JWT_ALG, JWT_AUDIENCE, JWT_ISSUER, type AccessClaims } from '../../../platform/src/accessTokens.js';
import type { SigningKeys } from './SigningKeys.js';

export class AccessTokenSigner {
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
}
