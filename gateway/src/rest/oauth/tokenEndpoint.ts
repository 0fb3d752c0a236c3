// POST /oauth/token (grant_type authorization_code or refresh_token) and POST /oauth/refresh
// (refresh only), RFC 6749 §3.2 / §4.1.3 / §6 with PKCE (RFC 7636). The client authenticates with
// HTTP Basic or client_id + client_secret in the body (not both). Codes are single-use: a replayed
// code is refused and revokes the tokens it produced. Clients, codes and tokens are the auth
// subgraph's: each step is one service-only operation of the graph.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../../../platform/src/http/readBody.js';
import { sendJson } from '../../../../platform/src/http/sendJson.js';
import { addressAllowed } from '../../security/addressLimiter.js';
import { parseFields } from '../../security/PublicEndpoint.js';
import type { RateLimiter } from '../../security/RateLimiter.js';
import { authServiceQuery, type AuthServiceTarget } from '../../security/authServiceQuery.js';
import { tokenResponse, type TokenOutcome } from '../../security/tokenResponse.js';
import { NO_STORE, sendOAuthError, sendOAuthMethodNotAllowed } from './oauthErrors.js';

export interface TokenEndpointOptions {
  /** The auth subgraph, asked under the gateway's service principal. */
  auth: AuthServiceTarget;
  rateLimiter: RateLimiter;
  bodyLimitBytes: number;
}

const GRANT = 'tokens { accessToken refreshToken expiresIn scope } failure';
const CLIENT_AUTH = 'query OAuthClientAuthenticated($clientId: String!, $clientSecret: String!) { oauthClientAuthenticated(clientId: $clientId, clientSecret: $clientSecret) }';
const REFRESH = `mutation RefreshSession($refreshToken: String!, $clientId: String) { refreshSession(refreshToken: $refreshToken, clientId: $clientId) { ${GRANT} } }`;
const EXCHANGE = `mutation ExchangeAuthorizationCode($clientId: String!, $code: String!, $redirectUri: String!, $codeVerifier: String!) { exchangeAuthorizationCode(clientId: $clientId, code: $code, redirectUri: $redirectUri, codeVerifier: $codeVerifier) { ${GRANT} } }`;

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
  return async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
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
    // client_id length is bounded here as the client lookup always did.
    const authenticated = clientId.length <= 100 && (await authServiceQuery<{ oauthClientAuthenticated: boolean }>(options.auth, 'OAuthClientAuthenticated', CLIENT_AUTH, { clientId, clientSecret }, requestId)).oauthClientAuthenticated;
    if (!authenticated) return sendOAuthError(res, 'invalid_client', 'Unknown client or wrong secret', !!basic);

    const grantType = str(fields, 'grant_type') ?? (mode === 'refresh' ? 'refresh_token' : undefined);
    if (!grantType) return sendOAuthError(res, 'invalid_request', 'grant_type is required');
    if (grantType === 'refresh_token') {
      const refreshToken = str(fields, 'refresh_token');
      if (!refreshToken) return sendOAuthError(res, 'invalid_request', 'refresh_token is required');
      const { refreshSession } = await authServiceQuery<{ refreshSession: TokenOutcome }>(options.auth, 'RefreshSession', REFRESH, { refreshToken, clientId }, requestId);
      if (!refreshSession.tokens) return sendOAuthError(res, 'invalid_grant', refreshSession.failure === 'reused' ? 'Refresh token already used; the grant is revoked' : 'Invalid, expired or revoked refresh token');
      return sendJson(res, 200, tokenResponse(refreshSession.tokens), NO_STORE);
    }
    if (mode === 'refresh' || grantType !== 'authorization_code') return sendOAuthError(res, 'unsupported_grant_type', `grant_type ${grantType} is not supported here`);

    const code = str(fields, 'code');
    const redirectUri = str(fields, 'redirect_uri');
    const verifier = str(fields, 'code_verifier');
    if (!code || !redirectUri || !verifier) return sendOAuthError(res, 'invalid_request', 'code, redirect_uri and code_verifier are required');
    const { exchangeAuthorizationCode: exchanged } = await authServiceQuery<{ exchangeAuthorizationCode: TokenOutcome }>(options.auth, 'ExchangeAuthorizationCode', EXCHANGE, { clientId, code, redirectUri, codeVerifier: verifier }, requestId);
    if (!exchanged.tokens) return sendOAuthError(res, 'invalid_grant', exchanged.failure ?? 'Invalid, expired or already used authorization code');
    sendJson(res, 200, tokenResponse(exchanged.tokens), NO_STORE);
  };
}
