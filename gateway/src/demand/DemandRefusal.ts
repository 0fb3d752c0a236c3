// What demand control answers when it refuses a request: a code of the one registry
// (platform/src/errors.ts), or GraphQL's own GRAPHQL_PARSE_FAILED for a document that does not parse.
import { GraphQLError } from 'graphql';
import { errorCodes, type ErrorCode } from '../../../platform/src/errors.js';

export type DemandErrorCode = Extract<
  ErrorCode,
  | 'TOO_MANY_TOKENS'
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_DIRECTIVES'
  | 'TOO_MANY_ROOT_FIELDS'
  | 'SLICING_ARGUMENT_REQUIRED'
  | 'COST_ESTIMATED_TOO_EXPENSIVE'
  | 'BATCH_TOO_LARGE'
>;

export interface DemandRefusal {
  ok: false;
  code: DemandErrorCode | 'GRAPHQL_PARSE_FAILED';
  message: string;
  /** HTTP status for a GraphQL-over-HTTP answer (400 for every demand code). */
  status: number;
  /** The limit and what was found, e.g. `{ limit: 15, found: 40 }` (safe to show the client). */
  details: Record<string, unknown>;
}

export function refuse(code: DemandRefusal['code'], message: string, details: Record<string, unknown> = {}): DemandRefusal {
  const status = code === 'GRAPHQL_PARSE_FAILED' ? 400 : errorCodes[code].status;
  return { ok: false, code, message, status, details };
}

/** The refusal as a GraphQL error (`extensions.code`, `extensions.details`), for `{ errors: [...] }`. */
export function refusalToGraphQLError(refusal: DemandRefusal): GraphQLError {
  return new GraphQLError(refusal.message, { extensions: { code: refusal.code, details: refusal.details, http: { status: refusal.status } } });
}

/** Thrown inside the cost walk; createDemandControl turns it into a DemandRefusal. */
export class DemandRefusalError extends Error {
  constructor(readonly refusal: DemandRefusal) {
    super(refusal.message);
    this.name = 'DemandRefusalError';
  }
}
