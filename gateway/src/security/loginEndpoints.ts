// CloudPioneer sign-in (seeds 002/004): POST /auth/login with {email, password} answers
// {access_token, refresh_token, token_type: "bearer", expires_in: 3600}; /auth/refresh rotates the
// refresh token, /auth/logout revokes its sign-in. Served at /v1 and at the root (the local base
// URL), in CloudPioneer's error format. Also the JWKS at /.well-known/jwks.json. Passwords, tokens
// and keys are the auth subgraph's: each action is one service-only operation of the graph.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JunctionError, errorCodes, type ErrorCode } from '../../../platform/src/errors.js';
import { readBody } from '../../../platform/src/http/readBody.js';
import { sendJson } from '../../../platform/src/http/sendJson.js';
import { authServiceQuery, type AuthServiceTarget } from './authServiceQuery.js';
import { formatCloudPioneerError } from '../rest/cloudpioneer-v1/index.js';
import { addressAllowed } from './addressLimiter.js';
import { parseFields, type PublicEndpoint } from './PublicEndpoint.js';
import type { RateLimiter } from './RateLimiter.js';
import type { PublicKeys } from './PublicKeys.js';
import { tokenResponse, type TokenGrant, type TokenOutcome } from './tokenResponse.js';

export interface LoginEndpointsOptions {
  keys: PublicKeys;
  rateLimiter: RateLimiter;
  bodyLimitBytes: number;
  /** The auth subgraph, asked under the gateway's service principal. */
  auth: AuthServiceTarget;
}

const ACTIONS = ['login', 'refresh', 'logout'] as const;
const SIGN_OUT = 'mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) }';
const GRANT = 'accessToken refreshToken expiresIn scope';
const SIGN_IN = `mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { ${GRANT} } }`;
const REFRESH = `mutation RefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { tokens { ${GRANT} } failure } }`;
type Action = (typeof ACTIONS)[number];

function actionOf(pathname: string): Action | undefined {
  const match = /^(?:\/v1)?\/auth\/(login|refresh|logout)\/?$/.exec(pathname);
  return match?.[1] as Action | undefined;
}

function fail(res: ServerResponse, code: ErrorCode, message: string, requestId: string, details?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const status = errorCodes[code].status;
  sendJson(res, status, formatCloudPioneerError({ code, status, message, ...(details ? { details } : {}) }, requestId), { 'cache-control': 'no-store', ...headers });
}

const text = (fields: Record<string, unknown>, name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);

export function loginEndpoints(options: LoginEndpointsOptions): PublicEndpoint[] {
  const jwks: PublicEndpoint = {
    matches: (method, _host, pathname) => pathname === '/.well-known/jwks.json' && (method === 'GET' || method === 'HEAD'),
    async handle(req, res, requestId) {
      req.resume();
      sendJson(res, 200, await options.keys.jwks(requestId), { 'cache-control': 'public, max-age=300' });
    },
  };

  const auth: PublicEndpoint = {
    matches: (_method, _host, pathname) => actionOf(pathname) !== undefined,
    async handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
      const action = actionOf((req.url ?? '/').split('?')[0]!)!;
      if (req.method !== 'POST') {
        req.resume();
        return fail(res, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use POST`, requestId, undefined, { Allow: 'POST' });
      }
      if (!(await addressAllowed(options.rateLimiter, req, 'login'))) {
        req.resume();
        return fail(res, 'RATE_LIMITED', 'Too many sign-in attempts from this address: retry later', requestId);
      }
      const body = await readBody(req, options.bodyLimitBytes);
      if (!body.ok) return fail(res, 'INVALID_REQUEST', 'Request body too large', requestId, { field: 'body', reason: 'too large' });
      const fields = parseFields(req.headers['content-type'], body.text);
      if (!fields) return fail(res, 'INVALID_REQUEST', 'Body must be a JSON object', requestId, { field: 'body', reason: 'invalid JSON' });
      try {
        if (action === 'login') {
          const email = text(fields, 'email');
          const password = text(fields, 'password');
          if (!email) return fail(res, 'INVALID_REQUEST', 'email is required', requestId, { field: 'email', reason: 'required' });
          if (!password) return fail(res, 'INVALID_REQUEST', 'password is required', requestId, { field: 'password', reason: 'required' });
          const { signIn } = await authServiceQuery<{ signIn: TokenGrant }>(options.auth, 'SignIn', SIGN_IN, { email, password }, requestId);
          return sendJson(res, 200, tokenResponse(signIn), { 'cache-control': 'no-store' });
        }
        const refreshToken = text(fields, 'refresh_token');
        if (!refreshToken) return fail(res, 'INVALID_REQUEST', 'refresh_token is required', requestId, { field: 'refresh_token', reason: 'required' });
        if (action === 'logout') {
          await authServiceQuery(options.auth, 'SignOut', SIGN_OUT, { refreshToken }, requestId);
          // Unknown tokens answer the same: logout is idempotent and reveals nothing.
          res.writeHead(204, { 'cache-control': 'no-store' });
          return void res.end();
        }
        const { refreshSession } = await authServiceQuery<{ refreshSession: TokenOutcome }>(options.auth, 'RefreshSession', REFRESH, { refreshToken }, requestId);
        if (!refreshSession.tokens) return fail(res, 'UNAUTHORIZED', refreshSession.failure === 'reused' ? 'Refresh token already used: every token of this sign-in is now revoked' : 'Invalid or expired refresh token', requestId);
        return sendJson(res, 200, tokenResponse(refreshSession.tokens), { 'cache-control': 'no-store' });
      } catch (error) {
        if (error instanceof JunctionError) return fail(res, error.code, error.message, requestId, error.details);
        throw error;
      }
    },
  };
  return [jwks, auth];
}
