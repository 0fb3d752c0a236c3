// HTTP-level merging of identical in-flight GraphQL queries: followers of a running request get
// its finished response (status, headers, body bytes) instead of running Apollo Server's pipeline
// and serialising the same answer again — the serialisation of a large answer is most of what a
// merged request costs (see BENCHMARKS.md, profile).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { OperationTypeNode, parse, type DocumentNode } from 'graphql';
import { headerMapOf, serveApollo } from '../../../platform/src/http/serveApollo.js';
import type { Principal } from '../../../platform/src/principal.js';
import { createInflightDeduplicator } from '../dedup/createInflightDeduplicator.js';
import { principalKey } from '../dedup/withInflightDedup.js';

interface Captured {
  status: number;
  headers: Record<string, string>;
  /** Encoded once, written as is to every merged response. */
  body: Buffer;
  hasErrors: boolean;
}

const enabled = new WeakSet<ApolloServer<any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
const deduplicator = createInflightDeduplicator();
const operationTypes = new Map<string, Map<string, OperationTypeNode | null>>();

/** Turns HTTP-level merging on for this server (junction does it when in-flight dedup is on). */
export function mergeHttpResponses<C extends BaseContext>(server: ApolloServer<C>): void {
  enabled.add(server);
}

/** The type of the operation a request runs, from a small cache of parsed documents; null if unknown. */
function operationType(query: string, operationName: string | undefined): OperationTypeNode | null {
  let byName = operationTypes.get(query);
  if (!byName) {
    byName = new Map();
    let document: DocumentNode | undefined;
    try {
      document = parse(query);
    } catch {
      document = undefined;
    }
    const operations = document?.definitions.filter((d) => d.kind === 'OperationDefinition') ?? [];
    for (const op of operations) if (op.kind === 'OperationDefinition') byName.set(op.name?.value ?? '', op.operation);
    if (operations.length === 1 && operations[0]!.kind === 'OperationDefinition') byName.set('\u0000only', operations[0]!.operation);
    if (operationTypes.size > 1_000) operationTypes.clear();
    operationTypes.set(query, byName);
  }
  return (operationName ? byName.get(operationName) : byName.get('\u0000only')) ?? null;
}

async function capture<C extends BaseContext>(server: ApolloServer<C>, req: IncomingMessage, body: unknown, context: () => Promise<C>): Promise<Captured | null> {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: headerMapOf(req), search: new URL(req.url ?? '/', 'http://localhost').search, body },
    context,
  });
  if (response.body.kind !== 'complete') return null;
  const out: Record<string, string> = {};
  for (const [key, value] of response.headers) out[key] = value;
  const text = response.body.string;
  // Checked once per execution (conservatively: a data key named "errors" also counts).
  return { status: response.status ?? 200, headers: out, body: Buffer.from(text, 'utf8'), hasErrors: text.includes('"errors"') };
}

/**
 * `serveApollo` (same arguments) that, for servers passed to `mergeHttpResponses`, shares one
 * execution and one serialised response among identical in-flight POSTed queries of the same
 * principal (same body text, content type and Accept header). Mutations, other principals and
 * anything unusual take the normal path; so does a follower whose shared response has errors,
 * since junction's errors carry the request id of the request they belong to.
 */
export async function serveApolloMerged<C extends BaseContext & { principal?: Principal }>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  bodyText: string | undefined,
  context: () => Promise<C>,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const plain = () => serveApollo(server, req, res, bodyText, context, extraHeaders);
  if (!enabled.has(server) || req.method !== 'POST' || !bodyText || !(req.headers['content-type'] ?? '').includes('json')) return plain();
  let body: { query?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(bodyText) as typeof body;
  } catch {
    return plain();
  }
  if (typeof body.query !== 'string' || operationType(body.query, typeof body.operationName === 'string' ? body.operationName : undefined) !== OperationTypeNode.QUERY) return plain();
  const principal = principalKey(await context());
  if (principal === null) return plain();
  const key = `${principal}\u0000${req.headers['content-type']}\u0000${req.headers.accept ?? ''}\u0000${req.url ?? ''}\u0000${bodyText}`;
  let leader = false;
  const shared = await deduplicator.run(key, () => {
    leader = true;
    return capture(server, req, body, context);
  });
  // Incremental (@defer) answers are not captured: run this request on the normal path.
  if (!shared) return plain();
  if (!leader && shared.hasErrors) return plain();
  res.writeHead(shared.status, { ...extraHeaders, ...shared.headers, 'content-length': String(shared.body.length) });
  res.end(shared.body);
}
