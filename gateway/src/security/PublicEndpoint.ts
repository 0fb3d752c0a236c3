// Endpoints that must answer without a credential, because they are how one gets a credential:
// sign-in, token refresh, the OAuth endpoints and the JWKS. The gateway server asks each before
// authenticating; each one does its own abuse limiting.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface PublicEndpoint {
  matches(method: string, host: string | undefined, pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void>;
}

/** The request's body as fields: JSON or application/x-www-form-urlencoded (OAuth's form posts). */
export function parseFields(contentType: string | undefined, text: string): Record<string, unknown> | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
