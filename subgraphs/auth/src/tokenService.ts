// The auth subgraph's token machinery, one per database: the signing keys, the access-token signer
// and the issuer of token responses (access JWT + rotating refresh token).
import type { Db } from 'mongodb';
import { ACCESS_TOKEN_TTL_S } from '../../../platform/src/accessTokens.js';
import { AccessTokenSigner } from './AccessTokenSigner.js';
import { SigningKeys } from './SigningKeys.js';
import { TokenIssuer } from './TokenIssuer.js';

export interface TokenService {
  keys: SigningKeys;
  tokens: TokenIssuer;
}

const services = new WeakMap<Db, TokenService>();

export function tokenServiceFor(db: Db, secret: string | undefined): TokenService {
  let service = services.get(db);
  if (!service) {
    if (!secret) throw new Error('auth tokens: PRINCIPAL_SECRET missing from the subgraph configuration');
    const keys = new SigningKeys({ db, secret, tokenTtlMs: ACCESS_TOKEN_TTL_S * 1000 });
    service = { keys, tokens: new TokenIssuer(db, new AccessTokenSigner(keys)) };
    services.set(db, service);
  }
  return service;
}
