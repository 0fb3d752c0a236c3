// TechCorp Cloud API v2.0 (seed 000), at its documented /api/v2 paths. Only the webhook routes
// for now; resources and analytics jobs join this table with their domains.
// Errors: `{"error":{"code","message","details"}}` as the seed shows them.
import type { RestApi, RestError } from '../RestRoute.js';
import { webhookRoutes } from '../shared/webhookRoutes.js';

const BY_STATUS: Record<number, string> = { 400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 422: 'UNPROCESSABLE', 429: 'RATE_LIMITED', 503: 'SERVICE_UNAVAILABLE' };

export function formatCloudV2Error(error: RestError): unknown {
  const code = BY_STATUS[error.status] ?? 'INTERNAL_ERROR';
  return { error: { code, message: error.message, details: error.details ?? (error.param ? { field: error.param } : {}) } };
}

export const techcorpCloudV2: RestApi = {
  name: 'techcorp-cloud-v2',
  prefixes: ['/api/v2'],
  hosts: [],
  rateLimitScheme: 'hourly',
  formatError: formatCloudV2Error,
  routes: webhookRoutes({ base: '/webhooks', name: 'CloudV2', list: (items) => ({ data: items }) }),
};
