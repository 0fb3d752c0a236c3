// One registry of error codes for every surface. Subgraphs throw JunctionError; GraphQL responses
// carry the code in extensions.code; each REST table turns the code into its API's documented body.
import { GraphQLError } from 'graphql';

export interface ErrorCodeDefinition {
  status: number;
  meaning: string;
}

export const errorCodes = {
  INVALID_REQUEST: { status: 400, meaning: 'Missing or invalid parameter' },
  MISSING_REQUIRED_FIELD: { status: 400, meaning: 'A required field is missing' },
  INVALID_EMAIL: { status: 400, meaning: 'Email does not follow RFC 5321 format' },
  INVALID_CURRENCY: { status: 400, meaning: 'Not a valid ISO 4217 currency code' },
  // Demand control (gateway/src/demand): refused before planning, nothing executed.
  TOO_MANY_TOKENS: { status: 400, meaning: 'The GraphQL document has more tokens than the plan allows' },
  QUERY_TOO_DEEP: { status: 400, meaning: 'The operation nests fields deeper than the plan allows' },
  TOO_MANY_ALIASES: { status: 400, meaning: 'The operation uses more aliases than the plan allows' },
  TOO_MANY_DIRECTIVES: { status: 400, meaning: 'The operation uses more directives than the plan allows' },
  TOO_MANY_ROOT_FIELDS: { status: 400, meaning: 'The operation selects more root fields than the plan allows' },
  SLICING_ARGUMENT_REQUIRED: { status: 400, meaning: 'A list field needs exactly one of its slicing arguments (e.g. limit)' },
  COST_ESTIMATED_TOO_EXPENSIVE: { status: 400, meaning: "The operation's estimated cost exceeds the plan's maximum" },
  BATCH_TOO_LARGE: { status: 400, meaning: 'A batched request has more operations than the plan allows' },
  UNAUTHORIZED: { status: 401, meaning: 'Invalid or missing API key' },
  FORBIDDEN: { status: 403, meaning: 'API key lacks permission for this operation' },
  RESOURCE_NOT_FOUND: { status: 404, meaning: 'The requested resource does not exist' },
  NOT_FOUND: { status: 404, meaning: 'Route or resource not found' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists but not with this HTTP method' },
  CONFLICT: { status: 409, meaning: 'Duplicate resource' },
  SKU_ALREADY_EXISTS: { status: 409, meaning: 'SKU already used in this catalog' },
  UNPROCESSABLE: { status: 422, meaning: 'Request is well-formed but invalid' },
  INSUFFICIENT_STOCK: { status: 422, meaning: 'Stock would go below zero' },
  ORDER_NOT_CANCELLABLE: { status: 422, meaning: 'Order is past the cancellable status' },
  INVALID_STATUS_TRANSITION: { status: 422, meaning: 'Order status transition not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'Request body exceeds the size limit' },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, meaning: 'Server error, retry with backoff' },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'Temporarily unavailable' },
} as const satisfies Record<string, ErrorCodeDefinition>;

export type ErrorCode = keyof typeof errorCodes;

export class JunctionError extends Error {
  readonly code: ErrorCode;
  /** The request field the error is about (003's `param`). */
  readonly param: string | undefined;
  /** Extra structured detail (001/002/004's `details`). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { param?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'JunctionError';
    this.code = code;
    this.param = options.param;
    this.details = options.details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, {
      extensions: { code: this.code, param: this.param, details: this.details, http: { status: this.status } },
    });
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCodes, value);
}
