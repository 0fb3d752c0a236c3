// CloudPioneer API v1 / v1.1 (seeds 002 and 004): at /v1 (and at api.cloudpioneer.com's /v1),
// and at the root as its local base URL (http://localhost:8000) documents. Only the webhook
// routes for now; resources, metrics and streams join these tables with their domains.
// Errors: `{"error":{"code","message","details"},"request_id"}` with 002's lower-case codes.
import type { RestApi, RestError } from '../RestRoute.js';
import { webhookRoutes } from '../shared/webhookRoutes.js';

const BY_STATUS: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'resource_not_found', 405: 'method_not_allowed', 409: 'conflict', 422: 'unprocessable', 429: 'rate_limited', 503: 'service_unavailable' };

export function formatCloudPioneerError(error: RestError, requestId: string): unknown {
  const code = BY_STATUS[error.status] ?? 'internal_error';
  return { error: { code, message: error.message, details: error.details ?? (error.param ? { field: error.param } : {}) }, request_id: requestId };
}

const list = (items: unknown[]) => ({ items, total: items.length });

export const cloudPioneerV1: RestApi = {
  name: 'cloudpioneer-v1',
  prefixes: ['/v1'],
  hosts: ['api.cloudpioneer.com'],
  hostBasePath: '/v1',
  rateLimitScheme: 'hourly',
  formatError: formatCloudPioneerError,
  routes: webhookRoutes({ base: '/webhooks', name: 'CloudPioneer', list }),
};

/** The local base URL's paths (`POST /webhooks`): mounted at /webhooks itself so the root table
 * never answers for paths that belong to no API (those keep the gateway's own 404). */
export const cloudPioneerRootWebhooks: RestApi = {
  name: 'cloudpioneer-local',
  prefixes: ['/webhooks'],
  hosts: [],
  rateLimitScheme: 'hourly',
  formatError: formatCloudPioneerError,
  routes: webhookRoutes({ base: '', name: 'CloudPioneerLocal', list }),
};
