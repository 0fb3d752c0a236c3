// GET /oauth/authorize shows the consent page; POST /oauth/authorize (the form) signs the person in,
// and on Approve redirects to the client's redirect_uri with a single-use code and `state` as given,
// on Deny with error=access_denied. An unknown client or a redirect_uri that is not registered
// exactly is shown as an error page and never redirected to (RFC 6749 §4.1.2.1). Who the client
// and the person are, and the code itself, are the auth subgraph's: asked through the graph as the
// gateway's service principal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JunctionError } from '../../../../platform/src/errors.js';
import { readBody } from '../../../../platform/src/http/readBody.js';
import { authServiceQuery, type AuthServiceTarget } from '../../security/authServiceQuery.js';
import { addressAllowed } from '../../security/addressLimiter.js';
import type { RateLimiter } from '../../security/RateLimiter.js';
import { isHttps } from '../../http/clientAddress.js';
import { sendOAuthMethodNotAllowed } from './oauthErrors.js';
import { renderConsentPage, renderErrorPage } from './consentPage.js';
import { ConsentCsrf } from './consentCsrf.js';
import { ConsentSession } from './consentSession.js';

interface AuthorizingClient {
  id: string;
  name: string;
  redirectUris: string[];
  /** Null when the request asks for more than the client may. */
  grantedScopes: string[] | null;
}
interface SignedInPerson {
  id: string;
  accountId: string;
  email: string;
}
const PERSON = 'id accountId email';
const CLIENT_QUERY = 'query OAuthAuthorizingClient($clientId: String!, $scope: String) { oauthAuthorizingClient(clientId: $clientId, scope: $scope) { id name redirectUris grantedScopes } }';
const SESSION_QUERY = `query OAuthSessionPerson($identityId: ID!) { oauthSessionPerson(identityId: $identityId) { ${PERSON} } }`;
const SIGN_IN = `mutation OAuthSignIn($email: String!, $password: String!) { oauthSignIn(email: $email, password: $password) { ${PERSON} } }`;
const CREATE_CODE = 'mutation CreateAuthorizationCode($clientId: String!, $identityId: ID!, $redirectUri: String!, $scope: String, $codeChallenge: String!) { createAuthorizationCode(clientId: $clientId, identityId: $identityId, redirectUri: $redirectUri, scope: $scope, codeChallenge: $codeChallenge) }';

const REQUEST_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
type AuthorizationRequest = Partial<Record<(typeof REQUEST_FIELDS)[number], string>>;

/** The authorization request's fields, from the query string (GET) or the form (POST). */
function requestOf(params: URLSearchParams): AuthorizationRequest {
  const request: AuthorizationRequest = {};
  for (const field of REQUEST_FIELDS) {
    const value = params.get(field);
    if (value !== null) request[field] = value;
  }
  return request;
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

function sendHtml(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...PAGE_HEADERS, ...extra, 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}

function redirect(res: ServerResponse, redirectUri: string, params: Record<string, string | undefined>, extra: Record<string, string> = {}) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  res.writeHead(302, { ...extra, location: url.toString(), 'cache-control': 'no-store' });
  res.end();
}

export interface AuthorizeEndpointOptions {
  /** The auth subgraph, asked under the gateway's service principal. */
  auth: AuthServiceTarget;
  secret: string;
  rateLimiter: RateLimiter;
  bodyLimitBytes: number;
}

export function createAuthorizeHandler(options: AuthorizeEndpointOptions) {
  const csrf = new ConsentCsrf(options.secret);
  const session = new ConsentSession(options.secret);

  /** The identity of a valid session cookie, if it still exists and is not locked. */
  async function sessionIdentity(req: IncomingMessage, requestId: string): Promise<SignedInPerson | undefined> {
    const id = session.read(req.headers.cookie);
    if (!id) return undefined;
    return (await authServiceQuery<{ oauthSessionPerson: SignedInPerson | null }>(options.auth, 'OAuthSessionPerson', SESSION_QUERY, { identityId: id }, requestId)).oauthSessionPerson ?? undefined;
  }
  const binding = (r: AuthorizationRequest) => JSON.stringify(REQUEST_FIELDS.map((f) => r[f] ?? null));

  /** The client, or an error page already sent. */
  async function clientFor(res: ServerResponse, request: AuthorizationRequest, requestId: string): Promise<AuthorizingClient | undefined> {
    const client = request.client_id && request.client_id.length <= 100
      ? (await authServiceQuery<{ oauthAuthorizingClient: AuthorizingClient | null }>(options.auth, 'OAuthAuthorizingClient', CLIENT_QUERY, { clientId: request.client_id, scope: request.scope ?? null }, requestId)).oauthAuthorizingClient
      : null;
    if (!client) return void sendHtml(res, 400, renderErrorPage('Unknown application', 'The client_id is missing or not registered.'));
    if (!request.redirect_uri || !client.redirectUris.includes(request.redirect_uri)) {
      return void sendHtml(res, 400, renderErrorPage('Invalid redirect URI', 'The redirect_uri is missing or not registered for this application.'));
    }
    return client;
  }

  /** Errors the client should hear about, sent to its redirect URI; undefined when the request is fine. */
  function requestError(client: AuthorizingClient, request: AuthorizationRequest): { error: string; error_description: string } | undefined {
    if (request.response_type !== 'code') return { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported' };
    if (!request.code_challenge || !/^[A-Za-z0-9_-]{43}$/.test(request.code_challenge)) return { error: 'invalid_request', error_description: 'code_challenge (PKCE, S256) is required' };
    if (request.code_challenge_method !== 'S256') return { error: 'invalid_request', error_description: 'code_challenge_method must be S256' };
    if (!client.grantedScopes) return { error: 'invalid_scope', error_description: 'The requested scope exceeds what this application may ask' };
    return undefined;
  }

  function page(req: IncomingMessage, res: ServerResponse, status: number, client: AuthorizingClient, request: AuthorizationRequest, extra: { email?: string; error?: string; signedInAs?: string } = {}) {
    const issued = csrf.issue(binding(request), isHttps(req));
    const hidden: Record<string, string> = { csrf_token: issued.token };
    for (const field of REQUEST_FIELDS) if (request[field] !== undefined) hidden[field] = request[field]!;
    sendHtml(res, status, renderConsentPage({ clientName: client.name, scopes: client.grantedScopes ?? [], hidden, ...extra }), { 'set-cookie': issued.cookie });
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.resume();
      const request = requestOf(new URL(req.url ?? '/', 'http://x').searchParams);
      const client = await clientFor(res, request, requestId);
      if (!client) return;
      const error = requestError(client, request);
      if (error) return redirect(res, request.redirect_uri!, { ...error, state: request.state });
      const signedIn = await sessionIdentity(req, requestId);
      return page(req, res, 200, client, request, signedIn ? { signedInAs: signedIn.email } : {});
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendOAuthMethodNotAllowed(res, req.method, 'GET, POST');
    }
    const body = await readBody(req, Math.min(options.bodyLimitBytes, 64 * 1024));
    if (!body.ok) return sendHtml(res, 413, renderErrorPage('Request too large', 'The form is too large.'));
    const form = new URLSearchParams(body.text);
    const request = requestOf(form);
    const client = await clientFor(res, request, requestId);
    if (!client) return;
    const error = requestError(client, request);
    if (error) return redirect(res, request.redirect_uri!, { ...error, state: request.state });
    if (!csrf.check(form.get('csrf_token') ?? undefined, req.headers.cookie, binding(request))) {
      return sendHtml(res, 403, renderErrorPage('Form expired', 'This consent form is no longer valid. Go back to the application and start again.'));
    }
    if (form.get('decision') !== 'approve') return redirect(res, request.redirect_uri!, { error: 'access_denied', error_description: 'The user denied the request', state: request.state });
    const email = form.get('email') ?? '';
    const password = form.get('password') ?? '';
    // A browser that already signed in approves without a password (unless it typed one).
    let identity = password ? undefined : await sessionIdentity(req, requestId);
    let setCookie: Record<string, string> = {};
    if (!identity) {
      if (!(await addressAllowed(options.rateLimiter, req, 'authorize'))) return page(req, res, 429, client, request, { email, error: 'Too many attempts from this address. Wait a minute and try again.' });
      try {
        identity = (await authServiceQuery<{ oauthSignIn: SignedInPerson }>(options.auth, 'OAuthSignIn', SIGN_IN, { email, password }, requestId)).oauthSignIn;
      } catch (e) {
        if (e instanceof JunctionError && (e.code === 'UNAUTHORIZED' || e.code === 'FORBIDDEN')) return page(req, res, 401, client, request, { email, error: e.code === 'FORBIDDEN' ? 'Too many failed sign-ins: try again later.' : 'Wrong email or password.' });
        throw e;
      }
      setCookie = { 'set-cookie': session.header(identity.id, isHttps(req)) };
    }
    const { createAuthorizationCode: code } = await authServiceQuery<{ createAuthorizationCode: string }>(options.auth, 'CreateAuthorizationCode', CREATE_CODE, {
      clientId: client.id,
      identityId: identity.id,
      redirectUri: request.redirect_uri!,
      scope: request.scope ?? null,
      codeChallenge: request.code_challenge!,
    }, requestId);
    redirect(res, request.redirect_uri!, { code, state: request.state }, setCookie);
  };
}
