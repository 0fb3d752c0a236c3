// The REST adapter core: request → validated input → the route's named GraphQL operation, run
// in-process through the gateway with the caller's principal → the documented response. It knows
// nothing about any particular API; each API is a table (RestApi) registered in apis.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { JunctionError, errorCodes } from '../../../platform/src/errors.js';
import type { Logger } from '../../../platform/src/logger.js';
import { readBody } from '../../../platform/src/http/readBody.js';
import type { GatewayContext } from '../GatewayContext.js';
import { graphqlErrorToRest } from './graphqlErrorToRest.js';
import type { RestApi, RestError, RestRequest, RestRoute } from './RestRoute.js';
import type { RouteMatch } from './RestRouter.js';
import { validateObject, validateQuery } from './validateFields.js';

export interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Runs one GraphQL operation through the gateway in-process (no HTTP hop). */
export type OperationExecutor = (request: { query: string; operationName: string; variables: Record<string, unknown> }, context: GatewayContext) => Promise<OperationResult>;

export function restErrorFrom(error: unknown): RestError {
  if (error instanceof JunctionError) {
    const out: RestError = { code: error.code, status: error.status, message: error.message };
    if (error.param !== undefined) out.param = error.param;
    if (error.details !== undefined) out.details = error.details;
    return out;
  }
  return { code: 'INTERNAL_ERROR', status: errorCodes.INTERNAL_ERROR.status, message: 'Internal server error' };
}

export function sendRestError(res: ServerResponse, api: RestApi, error: RestError, requestId: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(api.formatError(error, requestId));
  res.writeHead(error.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export class RestAdapter {
  constructor(
    private readonly execute: OperationExecutor,
    private readonly options: { bodyLimitBytes: number; logger: Logger },
  ) {}

  async handle(match: RouteMatch, req: IncomingMessage, res: ServerResponse, context: GatewayContext, headers: Record<string, string>): Promise<void> {
    const { api } = match;
    try {
      if (match.kind === 'not-found') {
        req.resume();
        throw new JunctionError('RESOURCE_NOT_FOUND', `No route ${req.method} ${req.url?.split('?')[0]}`);
      }
      if (match.kind === 'method-not-allowed') {
        req.resume();
        headers = { ...headers, Allow: [...new Set(match.allowed)].join(', ') };
        throw new JunctionError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${[...new Set(match.allowed)].join(', ')}`);
      }
      const { route, params } = match;
      if (route.method !== 'GET' && context.principal.keyType === 'readonly') {
        req.resume();
        throw new JunctionError('FORBIDDEN', 'Readonly API keys may only make GET requests');
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query = validateQuery(route.query, url.searchParams);
      const body = await this.readJsonBody(req, route);
      const restRequest: RestRequest = { params, query, body, headers: req.headers, requestId: context.requestId };
      const variables = route.variables(restRequest);
      const result = await this.execute({ query: route.document, operationName: route.operationName, variables }, context);
      if (result.errors && result.errors.length > 0) {
        return sendRestError(res, api, graphqlErrorToRest(result.errors[0]), context.requestId, headers);
      }
      if (!result.data) throw new Error(`operation ${route.operationName} returned no data`);
      const out = route.respond(result.data, restRequest);
      const outHeaders: Record<string, string> = { ...headers, ...out.headers };
      if (route.deprecated) {
        outHeaders.Deprecation = 'true';
        outHeaders.Link = `<${route.deprecated.successor(restRequest)}>; rel="successor-version"`;
      }
      if (out.status === 204 || out.body === undefined) {
        res.writeHead(out.status, outHeaders);
        res.end();
        return;
      }
      const text = JSON.stringify(out.body);
      res.writeHead(out.status, { ...outHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    } catch (error) {
      if (!(error instanceof JunctionError)) this.options.logger.error('REST request failed', { api: api.name, error, requestId: context.requestId });
      sendRestError(res, api, restErrorFrom(error), context.requestId, headers);
    }
  }

  private async readJsonBody(req: IncomingMessage, route: RestRoute): Promise<Record<string, unknown> | undefined> {
    const read = await readBody(req, this.options.bodyLimitBytes);
    if (!read.ok) throw new JunctionError('INVALID_REQUEST', `Request body exceeds ${this.options.bodyLimitBytes} bytes`, { param: 'body' });
    const text = read.text.trim();
    if (text === '') return route.body ? validateObject(route.body, {}) : undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new JunctionError('INVALID_REQUEST', 'Request body is not valid JSON', { param: 'body' });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new JunctionError('INVALID_REQUEST', 'Request body must be a JSON object', { param: 'body' });
    }
    return validateObject(route.body ?? {}, parsed as Record<string, unknown>);
  }
}
