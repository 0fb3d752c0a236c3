// Everything the gateway needs for people and tokens, built once per gateway: the JWT verifier
// (public keys from the auth subgraph), the JWT credential resolver, the sign-in / OAuth / JWKS
// endpoints (each a thin public handler over the auth subgraph's service-only operations), and the
// listener for auth's revocation records that makes key revocation and logout take effect at once
// on every gateway instance. Nothing here reads or writes auth's collections.
import type { Db } from 'mongodb';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import type { Logger } from '../../../platform/src/logger.js';
import { oauthEndpoints } from '../rest/oauth/oauthEndpoints.js';
import type { ApiKeyResolver } from './ApiKeyResolver.js';
import { JwtService } from './JwtService.js';
import { JwtResolver } from './JwtResolver.js';
import { loginEndpoints } from './loginEndpoints.js';
import type { PublicEndpoint } from './PublicEndpoint.js';
import { PublicKeys } from './PublicKeys.js';
import type { RateLimiter } from './RateLimiter.js';
import { watchCredentialChanges } from './watchCredentialChanges.js';

export interface IdentityServicesOptions {
  /** The database of the events outbox (revocation records) — not auth's collections. */
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
  keys: PublicKeys;
  stop(): Promise<void>;
}

export async function createIdentityServices(options: IdentityServicesOptions): Promise<IdentityServices> {
  const auth = { authUrl: options.authUrl, secret: options.principalSecret };
  const keys = new PublicKeys(auth);
  // Ask once at start-up, so the auth subgraph makes its first signing key before any request
  // (a JWKS request then never writes) and a broken setup shows at once; an auth subgraph that is
  // not up yet (separate processes) only delays this to the first use.
  await keys.jwks('startup').catch((error: unknown) => options.logger.warn('JWKS not loaded at start-up; retried on first use', { error }));
  const jwt = new JwtService(keys);
  const jwtResolver = new JwtResolver({ jwt, auth, enterpriseLimits: options.enterpriseLimits, cacheMs: options.cacheMs });
  const shared = { auth, keys, rateLimiter: options.rateLimiter, bodyLimitBytes: options.bodyLimitBytes, secret: options.principalSecret };
  const stopWatching = await watchCredentialChanges(options.db, () => {
    options.apiKeys.invalidate();
    jwtResolver.invalidate();
  }, options.logger);
  return { jwtResolver, publicEndpoints: [...loginEndpoints(shared), ...oauthEndpoints(shared)], keys, stop: stopWatching };
}
