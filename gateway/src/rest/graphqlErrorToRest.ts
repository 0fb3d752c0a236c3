// Maps the first GraphQL error of an operation to a RestError: a registered code keeps its status;
// GraphQL's own input errors (a variable of the wrong type) are 400 INVALID_REQUEST naming the
// variable; anything else is a 500 that says nothing internal.
import type { GraphQLFormattedError } from 'graphql';
import { errorCodes, isErrorCode } from '../../../platform/src/errors.js';
import type { RestError } from './RestRoute.js';

const INPUT_ERRORS = new Set(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED']);

export function graphqlErrorToRest(error: GraphQLFormattedError | undefined): RestError {
  const ext = (error?.extensions ?? {}) as Record<string, unknown>;
  const code = ext.code;
  if (isErrorCode(code)) {
    const out: RestError = { code, status: errorCodes[code].status, message: error?.message ?? errorCodes[code].meaning };
    if (typeof ext.param === 'string') out.param = ext.param;
    if (ext.details && typeof ext.details === 'object') out.details = ext.details as Record<string, unknown>;
    return out;
  }
  if (typeof code === 'string' && INPUT_ERRORS.has(code)) {
    const variable = /Variable "\$(\w+)"/.exec(error?.message ?? '')?.[1];
    const field = /at "\w+\.([\w.[\]]+)"/.exec(error?.message ?? '')?.[1];
    const out: RestError = { code: 'INVALID_REQUEST', status: 400, message: error?.message ?? 'Invalid request' };
    const param = field ?? variable;
    if (param) out.param = param;
    return out;
  }
  return { code: 'INTERNAL_ERROR', status: 500, message: 'Internal server error' };
}
