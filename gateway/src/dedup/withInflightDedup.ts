import type { GatewayExecutionResult, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import type { Principal } from '../../../platform/src/principal.js';
import { createInflightDeduplicator, inflightKey, stableStringify, type InflightDeduplicator } from './createInflightDeduplicator.js';

export interface InflightDedupOptions<TContext> {
  /**
   * The principal a request runs as (account, key type, sandbox…), as a string; requests of
   * different principals never share an execution. Return null to never merge this request.
   */
  principalOf(context: TContext): string | null;
  deduplicator?: InflightDeduplicator;
}

/**
 * Wraps a gateway (e.g. an `ApolloGateway`) for `new ApolloServer({ gateway })` so identical
 * queries in flight at the same time — same document hash, operation name, variables and
 * principal — run through the query plan once and each get the answer. Mutations and
 * subscriptions always run on their own. Apollo Server still formats errors and sets headers
 * per request, so every caller sees exactly what it would have seen alone. The one visible
 * difference: merged requests reach subgraphs under the first request's headers (request id).
 */
export function withInflightDedup<TContext extends Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  gateway: GatewayInterface,
  options: InflightDedupOptions<TContext>,
): GatewayInterface & { deduplicator: InflightDeduplicator } {
  const deduplicator = options.deduplicator ?? createInflightDeduplicator();
  return {
    deduplicator,
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(loadOptions) {
      const loaded = await gateway.load(loadOptions);
      const executor = loaded.executor;
      if (!executor) return loaded;
      return {
        ...loaded,
        executor: async (requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
          const key = inflightKey({
            operationType: requestContext.operation?.operation,
            queryHash: requestContext.queryHash,
            operationName: requestContext.operationName,
            variables: requestContext.request.variables,
            principal: options.principalOf(requestContext.context as TContext),
          });
          const result = await deduplicator.run(key, () => executor(requestContext));
          // A copy per caller: Apollo Server and plugins may replace `errors`/`extensions`.
          return key === null ? result : { ...result, ...(result.extensions ? { extensions: { ...result.extensions } } : {}) };
        },
      };
    },
  };
}

/**
 * The merge identity of a junction request context: everything about the caller that a subgraph
 * may answer differently for (account, live/test mode, key type, plan, scopes, key, subject),
 * but not the request id. No principal: never merge.
 */
export function principalKey(context: { principal?: Principal }): string | null {
  const p = context.principal;
  if (!p) return null;
  return stableStringify({ a: p.accountId, m: p.mode, t: p.keyType, p: p.plan, s: [...p.scopes].sort(), k: p.keyId ?? null, u: p.subject ?? null });
}
