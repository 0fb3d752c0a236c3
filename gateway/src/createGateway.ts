// The federated GraphQL server: @apollo/gateway over a composed supergraph, served by
// @apollo/server with Apollo Sandbox as the landing page. Subgraph URLs in the supergraph are
// placeholders; `subgraphUrls` (env SUBGRAPH_<NAME>_URL or the launcher's ports) replaces them.
// First: sets APOLLO_TELEMETRY_DISABLED before any ApolloGateway exists (it is read in the constructor).
import '../../platform/src/env.js';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import { JunctionError } from '../../platform/src/errors.js';
import { createFormatError } from '../../platform/src/formatError.js';
import type { Logger } from '../../platform/src/logger.js';
import { canWrite } from '../../platform/src/principal.js';
import type { GatewayContext } from './GatewayContext.js';
import { SubgraphDataSource } from './subgraphClient/SubgraphDataSource.js';
import { principalKey, withInflightDedup } from './dedup/withInflightDedup.js';
import { mergeHttpResponses } from './http/serveApolloMerged.js';
import type { OperationExecutor } from './rest/RestAdapter.js';
import { createDemandControl, type DemandAccepted } from './demand/createDemandControl.js';
import { refusalToGraphQLError } from './demand/DemandRefusal.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph name → URL; a subgraph missing here keeps the URL written in the supergraph. */
  subgraphUrls: Record<string, string>;
  principalSecret: string;
  logger: Logger;
  /** Merge identical in-flight queries of one principal (see performance/withInflightDedup.ts). */
  inflightDedup?: boolean;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  execute: OperationExecutor;
  /** The URL actually used for each subgraph. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

function apolloLogger(logger: Logger) {
  return {
    debug: (m: unknown) => logger.debug(String(m)),
    info: (m: unknown) => logger.debug(String(m)),
    warn: (m: unknown) => logger.warn(String(m)),
    error: (m: unknown) => logger.error(String(m)),
  };
}

/** A 400 BAD_REQUEST GraphQL error (Apollo Server's own code for a request it cannot run). */
function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger.child({ part: 'gateway' });
  const urls: Record<string, string> = {};
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: apolloLogger(logger),
    buildService: ({ name, url }) => {
      const resolved = options.subgraphUrls[name] ?? url;
      if (!resolved || /\.invalid\//.test(resolved)) {
        throw new Error(`No URL for subgraph "${name}": set SUBGRAPH_${name.toUpperCase()}_URL`);
      }
      urls[name] = resolved;
      return new SubgraphDataSource({ url: resolved, secret: options.principalSecret });
    },
  });
  // Demand control (gateway/src/demand): bounded shape and estimated cost per plan, before planning.
  const demand = createDemandControl({ supergraphSdl: options.supergraphSdl });
  const accepted = new WeakMap<GatewayContext, DemandAccepted>();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: options.inflightDedup ? withInflightDedup<GatewayContext>(gateway, { principalOf: principalKey }) : gateway,
    introspection: true,
    // junction's launcher owns SIGINT/SIGTERM and stops the parts in order.
    stopOnTerminationSignals: false,
    // CSRF needs ambient credentials (cookies); junction only takes bearer headers, so plain
    // `GET /graphql?query=…` with an Authorization header is allowed.
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger),
    logger: apolloLogger(logger),
    plugins: [
      // Sandbox is served by the user's browser from Apollo's CDN; the server itself calls nothing.
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      {
        async requestDidStart() {
          return {
            // Every error names the request it belongs to, as REST error bodies do.
            async willSendResponse({ response, contextValue }) {
              if (response.body.kind !== 'single') return;
              const checked = accepted.get(contextValue);
              // The operation's cost (estimated before, actual after) for the client to see.
              if (checked) response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: demand.costExtension(checked, response.body.singleResult.data ?? null) };
              if (!response.body.singleResult.errors) return;
              response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, extensions: { ...e.extensions, request_id: contextValue.requestId } }));
            },
            async didResolveOperation({ operation, operationName, document, contextValue, request }) {
              // Client mistakes the gateway would otherwise throw as 500s from its executor.
              if (!operation) {
                const several = document.definitions.filter((d) => d.kind === 'OperationDefinition').length > 1;
                throw badRequest(operationName ? `Unknown operation named "${operationName}".` : several ? 'Must provide operationName if the query contains several operations.' : 'Must provide an operation.');
              }
              if (operation.operation === 'subscription') throw badRequest('Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP.');
              const checked = demand.check(document, { plan: contextValue.principal.plan, variables: request.variables ?? null, operationName: operationName ?? null });
              if (!checked.ok) throw refusalToGraphQLError(checked);
              accepted.set(contextValue, checked);
              if (operation?.operation === 'mutation' && !canWrite(contextValue.principal)) {
                const error = new JunctionError('FORBIDDEN', 'Readonly API keys may only run queries').toGraphQLError();
                (error.extensions as Record<string, unknown>).http = { status: 403 };
                throw error;
              }
            },
          };
        },
      },
    ],
  });
  if (options.inflightDedup) mergeHttpResponses(apollo);
  await apollo.start();

  const execute: OperationExecutor = async (request, context) => {
    const response = await apollo.executeOperation(request, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by REST routes');
    const { data, errors } = response.body.singleResult;
    return { data: data as Record<string, unknown> | null | undefined, errors };
  };

  return { apollo, execute, urls, stop: () => apollo.stop() };
}
