// Checks that a refusal is in its surface's documented error format. The expected shape of a REST
// API's error is read from that API's own formatError (so a change of format there is a change
// here), and the code must be one that formatError gives for a registered code of that status.
// Every check returns the problems it found ([] when the response is as documented).
import type { IncomingHttpHeaders } from 'node:http';
import { errorCodes, type ErrorCode } from '../../platform/src/errors.js';
import type { RestApi, RestError } from '../../gateway/src/rest/RestRoute.js';
import { formatCloudPioneerError } from '../../gateway/src/rest/cloudpioneer-v1/index.js';
import { surfaceName, type Surface } from './routeInventory.js';

export interface Answer {
  method: string;
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** GraphQL's own request-error codes that junction passes through (platform/src/formatError.ts). */
const GRAPHQL_CODES = new Set<string>([...Object.keys(errorCodes), 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
const OAUTH_CODES = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied', 'unsupported_response_type', 'server_error', 'temporarily_unavailable']);
const LEAK = /\n\s+at .+:\d+:\d+|node_modules\/|\.ts:\d+|MongoServerError|TypeError:|ReferenceError:/;

type Skeleton = string | { [key: string]: Skeleton } | Skeleton[];

/** A value's shape: types only; `details` is any object, `param` a string or null. */
function skeleton(value: unknown, key = ''): Skeleton {
  if (key === 'details' && value !== null && typeof value === 'object' && !Array.isArray(value)) return 'object';
  if (key === 'param' && (value === null || typeof value === 'string')) return 'string|null';
  if (value === null) return 'null';
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'object') {
    const out: Record<string, Skeleton> = {};
    for (const k of Object.keys(value as object).sort()) out[k] = skeleton((value as Record<string, unknown>)[k], k);
    return out;
  }
  return typeof value;
}

const same = (a: Skeleton, b: Skeleton) => JSON.stringify(a) === JSON.stringify(b);

function expectedSkeletons(format: (e: RestError, requestId: string) => unknown): Skeleton[] {
  const base: RestError = { code: 'INVALID_REQUEST', status: 400, message: 'm' };
  return [base, { ...base, param: 'p' }, { ...base, details: { field: 'p' } }, { ...base, param: 'p', details: { field: 'p' } }].map((e) => skeleton(format(e, 'req_x')));
}

/** The codes an API's formatError shows for a status (from every registered code of that status). */
function documentedCodes(format: (e: RestError, requestId: string) => unknown, status: number): Set<string> {
  const out = new Set<string>();
  for (const [code, def] of Object.entries(errorCodes)) {
    if (def.status !== status) continue;
    const body = format({ code: code as ErrorCode, status, message: 'm' }, 'req_x') as { error?: { code?: string } };
    if (body.error?.code) out.add(body.error.code);
  }
  return out;
}

function parseJson(answer: Answer, problems: string[]): unknown {
  if (!String(answer.headers['content-type'] ?? '').includes('json')) {
    problems.push(`content-type ${answer.headers['content-type'] ?? '(none)'} is not JSON`);
    return undefined;
  }
  try {
    return JSON.parse(answer.text);
  } catch {
    problems.push('body is not valid JSON');
    return undefined;
  }
}

function checkFormatted(answer: Answer, format: (e: RestError, requestId: string) => unknown, problems: string[]): void {
  const body = parseJson(answer, problems) as Record<string, any> | undefined;
  if (body === undefined) return;
  const shape = skeleton(body);
  if (!expectedSkeletons(format).some((s) => same(s, shape))) problems.push(`body shape ${JSON.stringify(shape)} is not the documented ${JSON.stringify(expectedSkeletons(format)[0])}`);
  const codes = documentedCodes(format, answer.status);
  const code = body.error?.code;
  if (codes.size === 0) problems.push(`status ${answer.status} is not the status of any registered error code`);
  else if (!codes.has(code)) problems.push(`code ${JSON.stringify(code)} is not one documented for ${answer.status} (${[...codes].join(', ')})`);
  const requestId = body.request_id ?? body.error?.request_id;
  if ('request_id' in body || (body.error && 'request_id' in body.error)) {
    if (requestId !== answer.headers['x-request-id']) problems.push(`request_id ${JSON.stringify(requestId)} differs from X-Request-Id ${answer.headers['x-request-id']}`);
  }
  if (typeof body.error?.message !== 'string' || body.error.message === '') problems.push('error.message is not a non-empty string');
}

function checkGraphql(answer: Answer, problems: string[]): void {
  if (answer.method === 'GET' && String(answer.headers['content-type'] ?? '').includes('text/html')) return; // the Sandbox landing page
  const body = parseJson(answer, problems) as { errors?: unknown; data?: unknown } | undefined;
  if (body === undefined) return;
  if (body.errors === undefined) {
    if (answer.status >= 400) problems.push(`${answer.status} without an errors array`);
    else if (body.data === undefined) problems.push('neither data nor errors');
    return;
  }
  if (!Array.isArray(body.errors) || body.errors.length === 0) return void problems.push('errors is not a non-empty array');
  for (const e of body.errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
    if (typeof e?.message !== 'string') problems.push('an error without a message');
    const code = e?.extensions?.code;
    if (typeof code !== 'string' || !GRAPHQL_CODES.has(code)) problems.push(`error code ${JSON.stringify(code)} is not registered`);
    if (code === 'INTERNAL_ERROR') problems.push(`INTERNAL_ERROR: ${String(e.message)}`);
  }
}

function checkOAuth(answer: Answer, problems: string[]): void {
  const body = parseJson(answer, problems) as { error?: unknown; error_description?: unknown } | undefined;
  if (body === undefined) return;
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'error,error_description' && keys !== 'error') problems.push(`OAuth error body has keys ${keys}`);
  if (typeof body.error !== 'string' || !OAUTH_CODES.has(body.error)) problems.push(`OAuth error ${JSON.stringify(body.error)} is not an RFC 6749 code`);
}

/** Problems with an answer (any status): a 5xx is always one; a refusal must be documented. */
export function answerProblems(surface: Surface, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`${answer.status} from ${surfaceName(surface)}`);
  if (LEAK.test(answer.text)) problems.push('the body leaks an internal message or stack trace');
  // HEAD answers carry no body; a CORS preflight is 204; redirects carry a Location.
  if (answer.method === 'HEAD' || answer.status === 204 || answer.status === 304) return problems;
  if (answer.status >= 300 && answer.status < 400) {
    if (!answer.headers.location) problems.push(`${answer.status} without Location`);
    return problems;
  }
  if (surface.kind === 'graphql') {
    checkGraphql(answer, problems);
    return problems;
  }
  if (answer.status < 400) return problems;
  switch (surface.kind) {
    case 'rest':
      checkFormatted(answer, surface.api.formatError, problems);
      break;
    case 'login':
      checkFormatted(answer, formatCloudPioneerError, problems);
      break;
    case 'oauth-token':
      checkOAuth(answer, problems);
      break;
    case 'oauth-authorize':
      // RFC 6749 §4.1.2.1: without a trustworthy redirect_uri the error is shown to the user.
      if (!String(answer.headers['content-type'] ?? '').includes('text/html')) checkOAuth(answer, problems);
      break;
    case 'health':
    case 'jwks':
    case 'gateway': {
      const body = parseJson(answer, problems) as { error?: { code?: unknown; message?: unknown; request_id?: unknown } } | undefined;
      if (body === undefined) break;
      const e = body.error;
      if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') problems.push(`gateway error body ${answer.text.slice(0, 200)}`);
      else if (e.request_id !== answer.headers['x-request-id']) problems.push('request_id differs from X-Request-Id');
      break;
    }
  }
  return problems;
}

