// How every GraphQL server in junction renders errors: JunctionError → its code (and param/details)
// in extensions; GraphQL's own request errors keep their code; anything else becomes a bare
// INTERNAL_ERROR, logged here but never leaked (no message, no stack trace).
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { JunctionError, isErrorCode } from './errors.js';
import type { Logger } from './logger.js';

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { locations, path } = formatted;
    if (original instanceof JunctionError) {
      const extensions: Record<string, unknown> = { code: original.code };
      if (original.param !== undefined) extensions.param = original.param;
      if (original.details !== undefined) extensions.details = original.details;
      return { message: original.message, locations, path, extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (isErrorCode(code) || PASS_THROUGH.has(code))) {
      const extensions: Record<string, unknown> = { code };
      for (const key of ['param', 'details', 'request_id'] as const) {
        if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      }
      return { message: formatted.message, locations, path, extensions };
    }
    if (original instanceof GraphQLError && original.originalError === undefined && !code) {
      // A plain GraphQLError thrown on purpose without a code: treat as a bad request.
      return { message: formatted.message, locations, path, extensions: { code: 'INVALID_REQUEST' } };
    }
    logger.error('unexpected error', { error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original), path });
    return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_ERROR' } };
  };
}
