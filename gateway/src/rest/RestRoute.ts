// The REST adapter's contract. Each legacy API is one RestApi: a table of RestRoutes, each of which
// is one named GraphQL operation run through the gateway plus a mapping of the HTTP request to its
// variables and of its result to the documented response. Domain logic never lives here.
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../../../platform/src/errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Declarative shape of a JSON body or query string; the core rejects wrong types and unknown fields with 400. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  enum?: readonly string[];
  /** For `object`: the allowed fields. Omit to allow any keys (e.g. free-form `metadata`). */
  fields?: BodySpec;
  /** For `array`: the element shape. */
  items?: FieldSpec;
  /** Bounds: a string's length, a number's value, an array's length, an object's number of keys. */
  min?: number;
  max?: number;
  /** For `string`: the value must match (e.g. an email or currency pattern is better left to the subgraph). */
  pattern?: RegExp;
}

export type BodySpec = Record<string, FieldSpec>;

export interface RestRequest {
  /** Path parameters, e.g. `{ user_id: 'usr_abc' }` for `/users/:user_id`. */
  params: Record<string, string>;
  /** Query parameters after validation and coercion against `route.query`. */
  query: Record<string, unknown>;
  /** JSON body after validation against `route.body` (undefined when the route takes none). */
  body: Record<string, unknown> | undefined;
  headers: IncomingHttpHeaders;
  requestId: string;
}

export interface RestResult {
  status: number;
  /** Serialised as JSON; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: HttpMethod;
  /** Path relative to the API's base, with `:name` parameters: `/users/:user_id`. */
  path: string;
  /** GraphQL document holding exactly one named operation. */
  document: string;
  operationName: string;
  query?: BodySpec;
  body?: BodySpec;
  /** Builds the operation's variables; may throw JunctionError for input the spec cannot express. */
  variables: (req: RestRequest) => Record<string, unknown>;
  /** Maps `data` of a successful operation to the documented response. */
  respond: (data: Record<string, unknown>, req: RestRequest) => RestResult;
  /** Deprecated routes answer with `Deprecation: true` and `Link: <replacement>; rel="successor-version"`. */
  deprecated?: { successor: (req: RestRequest) => string };
  /** Answers without a credential (Authorization is not read): the operation runs under the
   * gateway's own service principal, and the route is rate-limited per client address (the API's
   * scheme at its lowest tier). For the few documented routes that are how one gets a credential. */
  public?: true;
}

/** A normalised error, whatever produced it (validation, GraphQL error extensions, auth, rate limit). */
export interface RestError {
  code: ErrorCode;
  status: number;
  message: string;
  param?: string;
  details?: Record<string, unknown>;
}

export interface RestApi {
  name: string;
  /** Path prefixes this API is served under on the gateway port, e.g. `['/v2']`. */
  prefixes: string[];
  /** Host names that route to this API at its documented root. */
  hosts: string[];
  /** The documented base path under those hosts (e.g. `/v2` for `https://api.cloudsync…/v2`); a
   * request routed by Host is matched against `prefixes` first, then against this. Default ''. */
  hostBasePath?: string;
  /** Which rate-limit scheme's headers this API documents. */
  rateLimitScheme: 'techcorp-v2' | 'techcorp-reference' | 'hourly';
  /** Renders an error in this API's documented shape. */
  formatError: (error: RestError, requestId: string) => unknown;
  routes: RestRoute[];
}
