// TechCorp API v2.0.3's error body: {"error":{"code","message","param","request_id"}}. Codes the
// seed does not list (internal refinements) are shown as the documented code of their status.
import type { RestError } from '../RestRoute.js';

const DOCUMENTED = new Set([
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RESOURCE_NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
  'MISSING_REQUIRED_FIELD',
  'INVALID_EMAIL',
  'SKU_ALREADY_EXISTS',
  'INSUFFICIENT_STOCK',
  'INVALID_CURRENCY',
  'ORDER_NOT_CANCELLABLE',
]);

const BY_STATUS: Record<number, string> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'RESOURCE_NOT_FOUND',
  409: 'CONFLICT',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function documentedCode(error: RestError): string {
  if (DOCUMENTED.has(error.code)) return error.code;
  if (error.status >= 500) return BY_STATUS[error.status] ?? 'INTERNAL_ERROR';
  return BY_STATUS[error.status] ?? 'INVALID_REQUEST';
}

export function formatError(error: RestError, requestId: string): unknown {
  return { error: { code: documentedCode(error), message: error.message, param: error.param ?? null, request_id: requestId } };
}
