// RFC 6749 §5.2 error responses of the token endpoint: `{"error", "error_description"}`, 400 (401
// with WWW-Authenticate for a failed client authentication), never cached.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../../../../platform/src/http/sendJson.js';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'access_denied' | 'unsupported_response_type' | 'server_error' | 'temporarily_unavailable';

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function sendOAuthError(res: ServerResponse, error: OAuthErrorCode, description: string, usedBasicAuth = false): void {
  const status = error === 'invalid_client' ? 401 : error === 'temporarily_unavailable' ? 429 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  if (error === 'invalid_client') headers['www-authenticate'] = usedBasicAuth ? 'Basic realm="junction", error="invalid_client"' : 'Basic realm="junction"';
  sendJson(res, status, { error, error_description: description }, headers);
}

/** A wrong method still answers in the endpoint's error format (never an empty 405). */
export function sendOAuthMethodNotAllowed(res: ServerResponse, method: string | undefined, allow: string): void {
  sendJson(res, 405, { error: 'invalid_request', error_description: `${method ?? 'This method'} is not allowed here; use ${allow}` }, { ...NO_STORE, allow });
}
