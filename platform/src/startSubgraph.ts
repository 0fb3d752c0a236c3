// Runs one SubgraphModule as a Federation 2 service on its own port. Every request must carry a
// valid gateway-signed principal (principalHeader.ts); without one the answer is a 401 GraphQL
// error and nothing executes. Every field and entity reference is guarded by the module's access
// rules (access.ts), and mutations from readonly principals are refused here as well as in the
// gateway, so a subgraph never depends on the gateway alone for either.
import { applyServerTimeouts } from './http/serverTimeouts.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
  ApolloServerPluginSchemaReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Db, MongoClient } from 'mongodb';
import { JunctionError } from './errors.js';
import { assertAccessRules, guardSchema } from './access.js';
import { createFormatError } from './formatError.js';
import type { Env } from './env.js';
import type { Logger } from './logger.js';
import { PRINCIPAL_HEADER, canWrite, type Principal } from './principal.js';
import { verifyPrincipal } from './principalHeader.js';
import { readBody } from './http/readBody.js';
import { sendJson } from './http/sendJson.js';
import { serveApollo } from './http/serveApollo.js';
import type { SubgraphContextBase, SubgraphModule } from './SubgraphModule.js';

export interface StartSubgraphOptions {
  module: SubgraphModule<any>;
  db: Db;
  client: MongoClient;
  principalSecret: string;
  config: Env;
  logger: Logger;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startSubgraph(options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const { module, db, client, principalSecret } = options;
  const logger = options.logger.child({ subgraph: module.name });
  // Fail closed: a type or root field without an access rule stops the start (access.ts).
  assertAccessRules(module.name, module.typeDefs, module.access);
  const schema = guardSchema(buildSubgraphSchema({ typeDefs: module.typeDefs, resolvers: module.resolvers as never }), module.access);
  const server = new ApolloServer<SubgraphContextBase>({
    schema,
    includeStacktraceInErrorResponses: false,
    // junction's launcher owns SIGINT/SIGTERM and stops the parts in order.
    stopOnTerminationSignals: false,
    formatError: createFormatError(logger),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue }) {
              if (operation?.operation === 'mutation' && !canWrite(contextValue.principal)) {
                throw new JunctionError('FORBIDDEN', 'This API key may only read').toGraphQLError();
              }
            },
          };
        },
      },
    ],
  });
  await server.start();
  const bodyLimit = options.bodyLimitBytes ?? 1_048_576 * 2;

  let closing = false;
  const httpServer = http.createServer((req, res) => {
    // While closing, a keep-alive connection is dropped as soon as its last response is out.
    res.on('finish', () => {
      if (closing) setImmediate(() => httpServer.closeIdleConnections());
    });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(res, 200, { status: 'healthy' });
    if (path !== '/graphql' && path !== '/') return sendJson(res, 404, { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    void (async () => {
      const headerValue = req.headers[PRINCIPAL_HEADER];
      const principal: Principal | undefined = verifyPrincipal(Array.isArray(headerValue) ? headerValue[0] : headerValue, principalSecret);
      if (!principal) {
        req.resume();
        return sendJson(res, 401, { errors: [{ message: 'Missing or invalid gateway signature', extensions: { code: 'UNAUTHORIZED' } }] });
      }
      const body = await readBody(req, bodyLimit);
      if (!body.ok) return sendJson(res, 413, { errors: [{ message: 'Request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      await serveApollo(server, req, res, body.text, async () => module.createContext({ principal, db, client, config: options.config }));
    })().catch((error: unknown) => {
      logger.error('request failed', { error });
      sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR' } }] });
    });
  });
  applyServerTimeouts(httpServer); // deliberate header/request/keep-alive timeouts (http/serverTimeouts.ts)
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host}:${port}/graphql`;
  logger.debug('subgraph listening', { url });
  return {
    name: module.name,
    url,
    port,
    async close() {
      // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
      closing = true;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const timer = setTimeout(() => httpServer.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(timer);
      await server.stop();
    },
  };
}
