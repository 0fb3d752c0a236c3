// The gateway's one public port, on plain node:http: /health, /graphql (GraphQL over HTTP and
// Apollo Sandbox; WebSocket upgrades go to the hook the events issue fills), the REST APIs, and a
// JSON 404 for anything else. It listens before the rest of the system is up, so /health can say
// 503 while starting. Every request is authenticated and rate-limited once, here.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { JunctionError, errorCodes } from '../../platform/src/errors.js';
import type { Logger } from '../../platform/src/logger.js';
import { readBody } from '../../platform/src/http/readBody.js';
import { sendJson } from '../../platform/src/http/sendJson.js';
import { serveApollo } from '../../platform/src/http/serveApollo.js';
import { serverTimeoutOptions, type ServerTimeouts } from '../../platform/src/http/serverTimeouts.js';
import type { GatewayContext } from './GatewayContext.js';
import type { Gateway } from './createGateway.js';
import { requestIdFrom } from './requestId.js';
import { serveApolloMerged } from './http/serveApolloMerged.js';
import { authenticate, type CredentialResolver } from './security/authenticate.js';
import type { Authenticated } from './security/ApiKeyResolver.js';
import { rateLimitHeaders, type RateLimiter } from './security/RateLimiter.js';
import { schemeLimitsFor, type RateLimitScheme } from './security/planLimits.js';
import { servicePrincipal } from './security/servicePrincipal.js';
import { admit, type Admission } from './pipeline/admit.js';
import { clientAddress, setTrustedProxies } from './http/clientAddress.js';
import { RestAdapter, restErrorFrom, sendRestError } from './rest/RestAdapter.js';
import { RestRouter } from './rest/RestRouter.js';
import type { RestApi } from './rest/RestRoute.js';
import type { PublicEndpoint } from './security/PublicEndpoint.js';

export interface GatewayParts {
  gateway: Gateway;
  credentials: CredentialResolver[];
  rateLimiter: RateLimiter;
  restApis: RestApi[];
  /** Sign-in, token and JWKS endpoints that answer without a credential (identity issue). */
  publicEndpoints?: PublicEndpoint[];
  /** Extra readiness check for /health (the gateway alone checks its remote subgraphs). */
  healthCheck?: () => Promise<boolean>;
}

export interface GatewayServerOptions {
  port: number;
  host: string;
  logger: Logger;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  /** Header, request and keep-alive timeouts (DEFAULT_SERVER_TIMEOUTS: 10 s, 30 s, 65 s). */
  timeouts?: Partial<ServerTimeouts>;
  /** TRUSTED_PROXIES: whose X-Forwarded-For / -Proto count (http/clientAddress.ts); default none. */
  trustedProxies?: string;
}

export type UpgradeHandler = (req: http.IncomingMessage, socket: Socket, head: Buffer) => void;

export interface GatewayServer {
  port: number;
  /** Base URL reachable from this machine, e.g. http://127.0.0.1:4000 */
  url: string;
  /** Plugs in the running system; /health turns 200 after `setReady(true)`. */
  attach(parts: GatewayParts): void;
  setReady(ready: boolean): void;
  /** WebSocket upgrades on /graphql (graphql-ws, events issue). Unhandled upgrades are refused. */
  onUpgrade(handler: UpgradeHandler): void;
  /** The HTTP rules for any other transport (e.g. graphql-ws `connection_init`): an
   * `Authorization` value → principal and limits, or a JunctionError UNAUTHORIZED. */
  authenticate(authorization: string | undefined, requestId: string): Promise<Authenticated>;
  /** Counts one operation of another transport (graphql-ws) in the same budget as HTTP. */
  admit(auth: Authenticated, scheme?: RateLimitScheme): Promise<Admission>;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), stops the gateway. */
  close(): Promise<void>;
}

const EXPOSED_HEADERS = 'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window, Deprecation, Link';

function graphqlError(res: http.ServerResponse, status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { errors: [{ message, extensions: { code, request_id: requestId } }] }, headers);
}

export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const logger = options.logger.child({ part: 'gateway' });
  setTrustedProxies(options.trustedProxies ?? '');
  let parts: (GatewayParts & { router: RestRouter; rest: RestAdapter }) | undefined;
  let ready = false;
  let closing = false;
  let upgradeHandler: UpgradeHandler | undefined;

  /** Counts the request in its surface's rate-limit scheme (GraphQL: seed 003's). */
  async function authorize(req: http.IncomingMessage, requestId: string, scheme: RateLimitScheme = 'techcorp-v2'): Promise<{ auth: Authenticated; headers: Record<string, string>; limited: boolean }> {
    const auth = await authenticate(req.headers.authorization, requestId, parts!.credentials);
    const admission = await admit(parts!.rateLimiter, auth, scheme);
    return { auth, headers: admission.headers, limited: !admission.allowed };
  }

  async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse, requestId: string) {
    const { gateway } = parts!;
    const wantsLandingPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (wantsLandingPage) {
      return serveApollo(gateway.apollo, req, res, undefined, async () => {
        throw new JunctionError('UNAUTHORIZED', 'Missing API key');
      });
    }
    let authorized;
    try {
      authorized = await authorize(req, requestId);
    } catch (error) {
      req.resume();
      const e = restErrorFrom(error);
      return graphqlError(res, e.status, e.code, e.message, requestId);
    }
    if (authorized.limited) {
      req.resume();
      return graphqlError(res, 429, 'RATE_LIMITED', 'Too many requests: see X-RateLimit-Reset', requestId, authorized.headers);
    }
    const body = await readBody(req, options.bodyLimitBytes);
    if (!body.ok) return graphqlError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${options.bodyLimitBytes} bytes`, requestId, authorized.headers);
    const context: GatewayContext = { principal: authorized.auth.principal, requestId };
    await serveApolloMerged(gateway.apollo, req, res, body.text, async () => context, authorized.headers);
  }

  /** A public route: the gateway's service principal, counted per client address at the API's lowest tier. */
  async function authorizePublic(req: http.IncomingMessage, requestId: string, scheme: RateLimitScheme) {
    const limits = schemeLimitsFor(scheme, 'free', { perMinute: 0, perDay: 0, perHour: 0 }); // enterprise limits: unused for 'free'
    const result = await parts!.rateLimiter.hit(`public:${clientAddress(req)}`, limits);
    const auth: Authenticated = { principal: servicePrincipal(requestId), limits: { perMinute: 0, perDay: 0 }, schemeLimits: {} as Authenticated['schemeLimits'] };
    return { auth, headers: rateLimitHeaders(result, { window: scheme === 'techcorp-v2' }), limited: !result.allowed };
  }

  async function handleRest(match: NonNullable<ReturnType<RestRouter['match']>>, req: http.IncomingMessage, res: http.ServerResponse, requestId: string) {
    let authorized;
    try {
      authorized = match.kind === 'route' && match.route.public ? await authorizePublic(req, requestId, match.api.rateLimitScheme) : await authorize(req, requestId, match.api.rateLimitScheme);
    } catch (error) {
      req.resume();
      return sendRestError(res, match.api, restErrorFrom(error), requestId);
    }
    if (authorized.limited) {
      req.resume();
      return sendRestError(res, match.api, { code: 'RATE_LIMITED', status: 429, message: 'Too many requests: retry after X-RateLimit-Reset' }, requestId, authorized.headers);
    }
    await parts!.rest.handle(match, req, res, { principal: authorized.auth.principal, requestId }, authorized.headers);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    // Credentials are bearer headers, never cookies, so any origin may call (browsers included).
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      req.resume();
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
        'Access-Control-Max-Age': '600',
      });
      return void res.end();
    }
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === '/health') {
      req.resume();
      if (!ready || closing) return sendJson(res, 503, { status: closing ? 'stopping' : 'starting' });
      if (parts?.healthCheck && !(await parts.healthCheck())) return sendJson(res, 503, { status: 'degraded' });
      return sendJson(res, 200, { status: 'healthy' });
    }
    if (!parts || !ready) {
      req.resume();
      return sendJson(res, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'junction is starting', request_id: requestId } });
    }
    const open = parts.publicEndpoints?.find((e) => e.matches(req.method ?? 'GET', req.headers.host, pathname));
    if (open) return open.handle(req, res, requestId);
    if (pathname === '/graphql') return handleGraphQL(req, res, requestId);
    const match = parts.router.match(req.method ?? 'GET', req.headers.host, pathname);
    if (match) return handleRest(match, req, res, requestId);
    req.resume();
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Nothing at ${pathname}`, request_id: requestId } });
  }

  const server = http.createServer(serverTimeoutOptions(options.timeouts), (req, res) => {
    // While closing, a keep-alive connection is dropped as soon as its last response is out.
    const startedAt = performance.now();
    res.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
      // Access log at debug level (LOG_LEVEL=debug); the query string is left out (it may carry data).
      logger.debug('request', { method: req.method, path: (req.url ?? '/').split('?')[0], status: res.statusCode, ms: Math.round((performance.now() - startedAt) * 10) / 10, requestId: res.getHeader('X-Request-Id') });
    });
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { error, url: req.url });
      if (!res.headersSent) sendJson(res, errorCodes.INTERNAL_ERROR.status, { error: { code: 'INTERNAL_ERROR', message: 'Internal server error', request_id: res.getHeader('X-Request-Id') } });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    if (upgradeHandler && !closing) return upgradeHandler(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  return {
    port,
    url: `http://${displayHost}:${port}`,
    attach(p) {
      parts = { ...p, router: new RestRouter(p.restApis), rest: new RestAdapter(p.gateway.execute, { bodyLimitBytes: options.bodyLimitBytes, logger }) };
    },
    setReady(value) {
      ready = value;
    },
    onUpgrade(handler) {
      upgradeHandler = handler;
    },
    async authenticate(authorization, requestId) {
      if (!parts) throw new JunctionError('SERVICE_UNAVAILABLE', 'junction is starting');
      return authenticate(authorization, requestId, parts.credentials);
    },
    async admit(auth, scheme) {
      if (!parts) throw new JunctionError('SERVICE_UNAVAILABLE', 'junction is starting');
      return admit(parts.rateLimiter, auth, scheme);
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs);
      await closed;
      clearTimeout(timer);
      await parts?.gateway.stop();
    },
  };
}
