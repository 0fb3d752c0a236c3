// Everything the gateway needs for people and tokens, built once per gateway: the signing keys and
// JWT service, the JWT credential resolver, the sign-in / OAuth / JWKS endpoints, and the listener
// for auth's revocation records that makes key revocation and logout take effect at once on every gateway instance.
import type { Db } from 'mongodb';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import type { Logger } from '../../../platform/src/logger.js';
import { oauthEndpoints } from '../rest/oauth/oauthEndpoints.js';
import type { ApiKeyResolver } from './ApiKeyResolver.js';
import { ACCESS_TOKEN_TTL_S, JwtService } from './JwtService.js';
import { JwtResolver } from './JwtResolver.js';
import { loginEndpoints } from './loginEndpoints.js';
import type { PublicEndpoint } from './PublicEndpoint.js';
import type { RateLimiter } from './RateLimiter.js';
import { SigningKeys } from './SigningKeys.js';
import { TokenIssuer } from './TokenIssuer.js';
import { watchCredentialChanges } from './watchCredentialChanges.js';

export interface IdentityServicesOptions {
  db: Db;
  principalSecret: string;
  /** URL of the auth subgraph's GraphQL endpoint (asked under the gateway's service principal). */
  authUrl: () => string;
  apiKeys: ApiKeyResolver;
  rateLimiter: RateLimiter;
  enterpriseLimits: EnterpriseLimits;
  cacheMs: number;
  bodyLimitBytes: number;
  logger: Logger;
}

export interface IdentityServices {
  jwtResolver: JwtResolver;
  publicEndpoints: PublicEndpoint[];
  keys: SigningKeys;
  stop(): Promise<void>;
}

export async function createIdentityServices(options: IdentityServicesOptions): Promise<IdentityServices> {
  const { db } = options;
  await SigningKeys.ensureIndexes(db);
  const keys = new SigningKeys({ db, secret: options.principalSecret, tokenTtlMs: ACCESS_TOKEN_TTL_S * 1000 });
  await keys.current(); // the JWKS is never empty, and a bad setup fails at start-up
  const jwt = new JwtService(keys);
  const jwtResolver = new JwtResolver({ jwt, auth: { authUrl: options.authUrl, secret: options.principalSecret }, enterpriseLimits: options.enterpriseLimits, cacheMs: options.cacheMs });
  const tokens = new TokenIssuer(db, jwt);
  const shared = { db, tokens, keys, rateLimiter: options.rateLimiter, bodyLimitBytes: options.bodyLimitBytes, secret: options.principalSecret, auth: { authUrl: options.authUrl, secret: options.principalSecret } };
  const stopWatching = await watchCredentialChanges(db, () => {
    options.apiKeys.invalidate();
    jwtResolver.invalidate();
  }, options.logger);
  return { jwtResolver, publicEndpoints: [...loginEndpoints(shared), ...oauthEndpoints(shared)], keys, stop: stopWatching };
}
