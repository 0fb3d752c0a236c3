// One GraphQL operation sent to the auth subgraph under the gateway's own service principal: how
// the gateway asks auth what only auth knows (key → principal, whether a sign-in was revoked)
// without reading auth's collections. A refusal auth decided (wrong password, locked) comes back as
// that JunctionError; any other failure is a prompt 503, never a guess.
import { JunctionError, type ErrorCode } from '../../../platform/src/errors.js';
import { PRINCIPAL_HEADER } from '../../../platform/src/principal.js';
import { signPrincipal } from '../../../platform/src/principalHeader.js';
import { servicePrincipal } from './servicePrincipal.js';

/** Answers of auth the caller shows to the client as they are. */
const PASSED_ON = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'INVALID_REQUEST', 'RATE_LIMITED']);

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
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message?: string; extensions?: { code?: string; param?: string; details?: Record<string, unknown> } }[] };
  const refusal = body.errors?.[0];
  const code = refusal?.extensions?.code;
  if (response.ok && code && PASSED_ON.has(code)) {
    const { param, details } = refusal.extensions!;
    throw new JunctionError(code as ErrorCode, refusal.message ?? code, { ...(param ? { param } : {}), ...(details ? { details } : {}) });
  }
  if (!response.ok || body.errors?.length || !body.data) throw new JunctionError('SERVICE_UNAVAILABLE', 'Authentication service unavailable: retry later');
  return body.data;
}
