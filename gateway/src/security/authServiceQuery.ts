// One GraphQL operation sent to the auth subgraph under the gateway's own service principal: how
// the gateway asks auth what only auth knows (key → principal, whether a sign-in was revoked)
// without reading auth's collections. Any failure is a prompt 503, never a guess.
import { JunctionError } from '../../../platform/src/errors.js';
import { PRINCIPAL_HEADER } from '../../../platform/src/principal.js';
import { signPrincipal } from '../../../platform/src/principalHeader.js';
import { servicePrincipal } from './servicePrincipal.js';

export interface AuthServiceTarget {
  /** URL of the auth subgraph's GraphQL endpoint. */
  authUrl: () => string;
  /** PRINCIPAL_SECRET: signs the service principal. */
  secret: string;
  /** Bound on the whole exchange (default 3 s). */
  timeoutMs?: number;
}

export async function authServiceQuery<T>(target: AuthServiceTarget, operationName: string, query: string, variables: Record<string, unknown>, requestId: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(target.authUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(servicePrincipal(requestId), target.secret), 'x-request-id': requestId },
      body: JSON.stringify({ query, variables, operationName }),
      signal: AbortSignal.timeout(target.timeoutMs ?? 3_000),
    });
  } catch (error) {
    throw new JunctionError('SERVICE_UNAVAILABLE', 'Authentication service unavailable: retry later', { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) throw new JunctionError('SERVICE_UNAVAILABLE', 'Authentication service unavailable: retry later');
  return body.data;
}
