// Every HTTP entry point the gateway serves, read from the code that serves it: each RestApi's
// route table (gateway/src/rest/apis.ts) under each of its prefixes and documented hosts, the
// public sign-in / OAuth / JWKS endpoints, /graphql and /health. A route added to a table is in
// this list, and so fuzzed, without touching the suite.
import type { BodySpec, HttpMethod, RestApi } from '../../gateway/src/rest/RestRoute.js';
import { restApis } from '../../gateway/src/rest/apis.js';
import { RestRouter } from '../../gateway/src/rest/RestRouter.js';
import { loginEndpoints } from '../../gateway/src/security/loginEndpoints.js';
import { oauthEndpoints } from '../../gateway/src/rest/oauth/oauthEndpoints.js';
import type { PublicEndpoint } from '../../gateway/src/security/PublicEndpoint.js';

/** Which documented error format a response must be in. */
export type Surface =
  | { kind: 'rest'; api: RestApi }
  | { kind: 'graphql' }
  /** CloudPioneer sign-in (/auth/login…): CloudPioneer's error format. */
  | { kind: 'login' }
  /** OAuth 2.0 token endpoints (RFC 6749 §5.2 errors); authorize answers HTML or redirects. */
  | { kind: 'oauth-token' }
  | { kind: 'oauth-authorize' }
  | { kind: 'jwks' }
  | { kind: 'health' }
  /** The gateway's own JSON 404 for paths that belong to no API. */
  | { kind: 'gateway' };

export const surfaceName = (s: Surface): string => (s.kind === 'rest' ? `rest:${s.api.name}` : s.kind);

export interface FuzzTarget {
  /** e.g. `techcorp-v2 PATCH /v2/users/:user_id` */
  name: string;
  method: HttpMethod;
  /** Path template on the gateway port, `:name` parameters included. */
  path: string;
  /** Host header that routes to the API at its documented root (host-routed mounts only). */
  host?: string;
  params: string[];
  query?: BodySpec;
  /** Fields the body takes (undefined: the route takes none). */
  body?: BodySpec;
  surface: Surface;
}

const join = (base: string, path: string) => (base.replace(/\/+$/, '') + (path === '/' ? '' : path)) || '/';
const paramsOf = (path: string) => path.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1));

export function restTargets(apis: RestApi[] = restApis): FuzzTarget[] {
  const out: FuzzTarget[] = [];
  for (const api of apis) {
    const mounts = [...api.prefixes.map((base) => ({ base, host: undefined as string | undefined })), ...api.hosts.map((host) => ({ base: api.hostBasePath ?? '', host }))];
    for (const { base, host } of mounts) {
      for (const route of api.routes) {
        const path = join(base, route.path);
        out.push({
          name: `${api.name} ${route.method} ${path}${host ? ` (Host: ${host})` : ''}`,
          method: route.method,
          path,
          host,
          params: paramsOf(route.path),
          query: route.query,
          body: route.body,
          surface: { kind: 'rest', api },
        });
      }
    }
  }
  return out;
}

const str = { type: 'string' } as const;

/** The endpoints that answer without a credential (matched by code, not by a table). */
export function publicTargets(): FuzzTarget[] {
  const login = (p: string, body: BodySpec): FuzzTarget => ({ name: `login POST ${p}`, method: 'POST', path: p, params: [], body, surface: { kind: 'login' } });
  return [
    ...['/v1/auth', '/auth'].flatMap((b) => [
      login(`${b}/login`, { email: str, password: str }),
      login(`${b}/refresh`, { refresh_token: str }),
      login(`${b}/logout`, { refresh_token: str }),
    ]),
    ...['/oauth/token', '/oauth/refresh'].map((p): FuzzTarget => ({
      name: `oauth POST ${p}`,
      method: 'POST',
      path: p,
      params: [],
      body: { grant_type: { type: 'string', enum: ['authorization_code', 'refresh_token', 'client_credentials', 'password'] }, code: str, redirect_uri: str, client_id: str, client_secret: str, code_verifier: str, refresh_token: str, scope: str },
      surface: { kind: 'oauth-token' },
    })),
    {
      name: 'oauth GET /oauth/authorize',
      method: 'GET',
      path: '/oauth/authorize',
      params: [],
      query: { response_type: { type: 'string', enum: ['code', 'token'] }, client_id: str, redirect_uri: str, scope: str, state: str, code_challenge: str, code_challenge_method: { type: 'string', enum: ['S256', 'plain'] } },
      surface: { kind: 'oauth-authorize' },
    },
    { name: 'oauth POST /oauth/authorize', method: 'POST', path: '/oauth/authorize', params: [], body: { email: str, password: str, decision: str, csrf: str }, surface: { kind: 'oauth-authorize' } },
    { name: 'jwks GET /.well-known/jwks.json', method: 'GET', path: '/.well-known/jwks.json', params: [], surface: { kind: 'jwks' } },
    { name: 'health GET /health', method: 'GET', path: '/health', params: [], surface: { kind: 'health' } },
  ];
}

// The real matchers of the public endpoints; `matches` reads only its arguments, so the options
// (database, keys…) are never touched here.
const matchers: { endpoint: PublicEndpoint; surface: Surface }[] = [
  ...loginEndpoints({} as never).map((endpoint, i) => ({ endpoint, surface: (i === 0 ? { kind: 'jwks' } : { kind: 'login' }) as Surface })),
  ...oauthEndpoints({ secret: 'reliability-suite-matcher-only-secret' } as never).map((endpoint) => ({ endpoint, surface: { kind: 'oauth-token' } as Surface })),
];
const router = new RestRouter(restApis);

/** The surface that answers a request, in the gateway's own order (GatewayServer.handle). */
export function surfaceOf(method: string, host: string | undefined, rawPath: string): Surface {
  const pathname = rawPath.split('?')[0] ?? '/';
  if (pathname === '/health') return { kind: 'health' };
  const open = matchers.find((m) => m.endpoint.matches(method, host, pathname));
  if (open) {
    if (open.surface.kind === 'oauth-token' && /\/authorize\/?$/.test(pathname)) return { kind: 'oauth-authorize' };
    return open.surface;
  }
  if (pathname === '/graphql') return { kind: 'graphql' };
  const match = router.match(method, host, pathname);
  if (match) return { kind: 'rest', api: match.api };
  return { kind: 'gateway' };
}
