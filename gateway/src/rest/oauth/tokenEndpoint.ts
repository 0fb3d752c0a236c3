// POST /oauth/token (grant_type authorization_code or refresh_token) and POST /oauth/refresh
// (refresh only), RFC 6749 §3.2 / §4.1.3 / §6 with PKCE (RFC 7636). The client authenticates with
// HTTP Basic or client_id + client_secret in the body (not both). Codes are single-use: a replayed
// code is refused and revokes the tokens it produced.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from 'mongodb';
import { readBody } from '../../../../platform/src/http/readBody.js';
import { sendJson } from '../../../../platform/src/http/sendJson.js';
import { identities } from '../../../../subgraphs/auth/src/identityIndexes.js';
import { accounts } from '../../../../subgraphs/auth/src/store.js';
import { authenticateClient, redeemAuthorizationCode } from '../../../../subgraphs/auth/src/oauthClients.js';
import { revokeFamily } from '../../../../subgraphs/auth/src/refreshTokens.js';
import type { IdentityRoleName } from '../../../../subgraphs/auth/src/models.js';
import { addressAllowed } from '../../security/addressLimiter.js';
import { parseFields } from '../../security/PublicEndpoint.js';
import type { RateLimiter } from '../../security/RateLimiter.js';
import type { TokenIssuer } from '../../security/TokenIssuer.js';
import { NO_STORE, sendOAuthError, sendOAuthMethodNotAllowed } from './oauthErrors.js';

export interface TokenEndpointOptions {
  db: Db;
  tokens: TokenIssuer;
  rateLimiter: RateLimiter;
  bodyLimitBytes: number;
}

/** What a person can delegate: members never hand out admin rights, whatever the client asked. */
export function delegableScopes(scopes: string[], role: IdentityRoleName): string[] {
  if (role === 'admin') return scopes;
  return [...new Set(scopes.flatMap((s) => (s === '*' ? ['read', 'write'] : s === 'admin' ? [] : [s])))];
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined | null {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    return null;
  }
}

const str = (fields: Record<string, unknown>, name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);

export function createTokenHandler(options: TokenEndpointOptions, mode: 'token' | 'refresh') {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      return sendOAuthMethodNotAllowed(res, req.method, 'POST');
    }
    if (!(await addressAllowed(options.rateLimiter, req, 'token'))) {
      req.resume();
      return sendOAuthError(res, 'temporarily_unavailable', 'Too many requests from this address');
    }
    const body = await readBody(req, Math.min(options.bodyLimitBytes, 64 * 1024));
    if (!body.ok) return sendOAuthError(res, 'invalid_request', 'Request body too large');
    const fields = parseFields(req.headers['content-type'], body.text);
    if (!fields) return sendOAuthError(res, 'invalid_request', 'Body must be application/x-www-form-urlencoded or a JSON object');

    const basic = basicCredentials(req.headers.authorization);
    if (basic === null) return sendOAuthError(res, 'invalid_client', 'Malformed Basic credentials', true);
    const bodyId = str(fields, 'client_id');
    const bodySecret = str(fields, 'client_secret');
    if (basic && bodySecret) return sendOAuthError(res, 'invalid_request', 'Use one client authentication method, not two');
    const clientId = basic?.id ?? bodyId;
    const clientSecret = basic?.secret ?? bodySecret;
    if (!clientId || !clientSecret) return sendOAuthError(res, 'invalid_client', 'Client authentication is required', !!basic);
    if (basic && bodyId && bodyId !== basic.id) return sendOAuthError(res, 'invalid_request', 'client_id does not match the authenticated client');
    const client = await authenticateClient(options.db, clientId, clientSecret);
    if (!client) return sendOAuthError(res, 'invalid_client', 'Unknown client or wrong secret', !!basic);

    const grantType = str(fields, 'grant_type') ?? (mode === 'refresh' ? 'refresh_token' : undefined);
    if (!grantType) return sendOAuthError(res, 'invalid_request', 'grant_type is required');
    if (grantType === 'refresh_token') {
      const refreshToken = str(fields, 'refresh_token');
      if (!refreshToken) return sendOAuthError(res, 'invalid_request', 'refresh_token is required');
      const refreshed = await options.tokens.refresh(refreshToken, client._id);
      if ('ok' in refreshed) return sendOAuthError(res, 'invalid_grant', refreshed.reason === 'reused' ? 'Refresh token already used; the grant is revoked' : 'Invalid, expired or revoked refresh token');
      return sendJson(res, 200, refreshed, NO_STORE);
    }
    if (mode === 'refresh' || grantType !== 'authorization_code') return sendOAuthError(res, 'unsupported_grant_type', `grant_type ${grantType} is not supported here`);

    const code = str(fields, 'code');
    const redirectUri = str(fields, 'redirect_uri');
    const verifier = str(fields, 'code_verifier');
    if (!code || !redirectUri || !verifier) return sendOAuthError(res, 'invalid_request', 'code, redirect_uri and code_verifier are required');
    const redeemed = await redeemAuthorizationCode(options.db, code, { clientId: client._id, redirectUri, verifier });
    if (!redeemed.ok) {
      if (redeemed.replayedFamily) await revokeFamily(options.db, redeemed.replayedFamily);
      return sendOAuthError(res, 'invalid_grant', redeemed.description);
    }
    const granted = redeemed.code;
    const identity = await identities(options.db).findOne({ _id: granted.identityId, accountId: granted.accountId });
    if (!identity) return sendOAuthError(res, 'invalid_grant', 'The user no longer exists');
    const account = await accounts(options.db).findOne({ _id: granted.accountId });
    const tokens = await options.tokens.issue({
      identityId: identity._id,
      accountId: identity.accountId,
      plan: account?.plan ?? 'free',
      scopes: delegableScopes(granted.scopes, identity.role),
      clientId: client._id,
      familyId: granted.familyId,
    });
    sendJson(res, 200, tokens, NO_STORE);
  };
}
