// Deliberate timeouts for every junction HTTP server (gateway and subgraphs), instead of Node's
// defaults (a request may take 300 s to arrive). A client that sends its headers or body too
// slowly gets a 408 and its connection is closed, so slow senders cannot hold connections open.
import type { Server, ServerOptions } from 'node:http';

export interface ServerTimeouts {
  /** Time to receive a request's headers (slowloris); Node's default is 60 s. Default 10 s. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included; Node's default is 300 s. Default 30 s. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; above the usual 60 s of load balancers,
   * so the balancer, not junction, closes first. Default 65 s. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two request timeouts (their granularity). Default 1 s. */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000, checkIntervalMs: 1_000 };

/** Options for `http.createServer` (the check interval can only be given there). */
export function serverTimeoutOptions(overrides: Partial<ServerTimeouts> = {}): ServerOptions {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
  return { headersTimeout: t.headersTimeoutMs, requestTimeout: t.requestTimeoutMs, keepAliveTimeout: t.keepAliveTimeoutMs, connectionsCheckingInterval: t.checkIntervalMs };
}

/** The same on a server created elsewhere (the check interval then stays Node's 30 s). */
export function applyServerTimeouts(server: Server, overrides: Partial<ServerTimeouts> = {}): void {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
  server.headersTimeout = t.headersTimeoutMs;
  server.requestTimeout = t.requestTimeoutMs;
  server.keepAliveTimeout = t.keepAliveTimeoutMs;
}
