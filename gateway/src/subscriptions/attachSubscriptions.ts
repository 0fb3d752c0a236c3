// GraphQL over WebSocket (graphql-ws protocol) on the gateway's own port and path, /graphql.
// `connection_init` carries the credentials (`{ "authorization": "Bearer <key>" }`, or the upgrade
// request's Authorization header) and they are checked by the same rules as HTTP
// (GatewayServer.authenticate), then re-checked every SUBSCRIPTION_AUTH_RECHECK so a revoked key
// closes the socket. Subscriptions run on the SubscriptionHub; queries and mutations sent over the
// socket run through the gateway like HTTP ones. Every operation on the socket (not only the
// connection) is counted in the same rate-limit budget as HTTP (GatewayServer.admit). Limits: subscriptions per connection, connections
// per account; ws keep-alive pings.
import type { IncomingMessage } from 'node:http';
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import type { EventsConfig } from '../../../platform/src/env.js';
import { newId } from '../../../platform/src/ids.js';
import type { Logger } from '../../../platform/src/logger.js';
import type { Principal } from '../../../platform/src/principal.js';
import type { Authenticated } from '../security/ApiKeyResolver.js';
import type { GatewayServer } from '../GatewayServer.js';
import type { Gateway } from '../createGateway.js';
import { CloseCodes } from './closeCodes.js';
import { EVENT_ID_VARIABLE, planSubscription, type SubscriptionPlan } from './planSubscription.js';
import { SubscriptionHub } from './SubscriptionHub.js';
import { subscriptionSchema } from './subscriptionSchema.js';

export interface AttachSubscriptionsOptions {
  server: GatewayServer;
  gateway: Gateway;
  db: Db;
  supergraphSdl: string;
  config: EventsConfig['subscriptions'];
  logger?: Logger | undefined;
}

export interface Subscriptions {
  hub: SubscriptionHub;
  close(): Promise<void>;
}

interface Connection {
  principal: Principal;
  /** The credential's limits, for counting each operation in the HTTP budget. */
  auth: Authenticated;
  authorization: string | undefined;
  subscriptions: number;
  recheck: NodeJS.Timeout;
}

type OperationContext =
  | { kind: 'subscription'; plan: SubscriptionPlan; connection: Connection }
  | { kind: 'operation'; connection: Connection; query: string; operationName: string | undefined; variables: Record<string, unknown> };

/** The subgraphs' access rules decide who may subscribe: the plan's per-event query is run once
 * through the graph (for an event id that matches nothing), so a caller its root field refuses is
 * refused here — also when payloads are later built from the event alone, with no round trip. */
async function probeAccess(gateway: Gateway, plan: SubscriptionPlan, principal: Principal): Promise<GraphQLError | undefined> {
  const variables = plan.needsEventId ? { ...plan.variables, [EVENT_ID_VARIABLE]: 'evt_access_probe' } : plan.variables;
  const requestId = newId('req');
  const result = await gateway.execute({ query: plan.query, operationName: plan.operationName as string, variables }, { principal: { ...principal, requestId }, requestId });
  const forbidden = result.errors?.find((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHORIZED');
  return forbidden ? errorOf(String(forbidden.extensions?.code), forbidden.message) : undefined;
}

function errorOf(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function credentialsOf(payload: Record<string, unknown> | undefined, request: IncomingMessage): string | undefined {
  const given = payload?.authorization ?? payload?.Authorization ?? (payload?.apiKey ? `Bearer ${String(payload.apiKey)}` : undefined);
  if (typeof given === 'string') return given;
  return request.headers.authorization;
}

export async function attachSubscriptions(options: AttachSubscriptionsOptions): Promise<Subscriptions> {
  const { server, gateway, config } = options;
  const logger = options.logger?.child({ part: 'subscriptions' });
  const schema = subscriptionSchema(options.supergraphSdl);
  const hub = new SubscriptionHub({ db: options.db, execute: gateway.execute, logger });
  await hub.start();
  const connections = new WeakMap<WebSocket, Connection>();
  const perAccount = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const disposable = useServer<Record<string, unknown>>(
    {
      schema,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const authorization = credentialsOf(ctx.connectionParams, ctx.extra.request);
        let principal: Principal;
        let auth: Authenticated;
        try {
          auth = await server.authenticate(authorization, newId('req'));
          principal = auth.principal;
        } catch (error) {
          const message = error instanceof JunctionError && error.code === 'UNAUTHORIZED' ? 'Unauthorized' : 'Unavailable';
          socket.close(error instanceof JunctionError && error.code === 'UNAUTHORIZED' ? CloseCodes.Unauthorized : 1013, message);
          return false;
        }
        if (principal.keyType === 'service') {
          socket.close(CloseCodes.Forbidden, 'Forbidden');
          return false;
        }
        const count = perAccount.get(principal.accountId) ?? 0;
        if (count >= config.maxConnectionsPerAccount) {
          socket.close(CloseCodes.TooManyRequests, 'Too many connections for this account');
          return false;
        }
        perAccount.set(principal.accountId, count + 1);
        const connection: Connection = {
          principal,
          auth,
          authorization,
          subscriptions: 0,
          // Revocation (or expiry) closes the socket within one re-check.
          recheck: setInterval(() => {
            server.authenticate(authorization, newId('req')).then(
              (fresh) => {
                connection.principal = fresh.principal;
                connection.auth = fresh;
              },
              (error: unknown) => {
                if (error instanceof JunctionError && error.code === 'UNAUTHORIZED') socket.close(CloseCodes.Unauthorized, 'Unauthorized: credentials revoked or expired');
              },
            );
          }, config.recheckMs),
        };
        connection.recheck.unref();
        connections.set(socket, connection);
        return true;
      },
      onClose(ctx) {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return;
        connections.delete(ctx.extra.socket);
        clearInterval(connection.recheck);
        const left = (perAccount.get(connection.principal.accountId) ?? 1) - 1;
        if (left <= 0) perAccount.delete(connection.principal.accountId);
        else perAccount.set(connection.principal.accountId, left);
      },
      async onSubscribe(ctx, _id, payload) {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [errorOf('UNAUTHORIZED', 'Not authenticated')];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [errorOf('INVALID_REQUEST', 'Operation not found (name it with operationName)')];
        const variableValues = (payload.variables ?? {}) as Record<string, unknown>;
        if (operation.operation !== 'subscription') {
          // Each query and mutation counts in the caller's HTTP budget (subscription starts are
          // bounded per connection and connections per account instead).
          try {
            const admission = await server.admit(connection.auth);
            if (!admission.allowed) {
              const { limit, reset, window } = admission.result.binding;
              return [new GraphQLError('Too many requests: retry after resetAt', { extensions: { code: 'RATE_LIMITED', limit, resetAt: reset, window } })];
            }
          } catch {
            return [errorOf('SERVICE_UNAVAILABLE', 'Rate limiting unavailable: retry later')];
          }
          const contextValue: OperationContext = { kind: 'operation', connection, query: payload.query, operationName: payload.operationName ?? undefined, variables: variableValues };
          return { schema, document, operationName: payload.operationName, variableValues, contextValue };
        }
        if (connection.subscriptions >= config.maxPerConnection) {
          return [errorOf('RATE_LIMITED', `At most ${config.maxPerConnection} subscriptions per connection`)];
        }
        const plan = planSubscription(schema, document, operation, variableValues);
        if (Array.isArray(plan)) return plan as readonly GraphQLError[];
        // Counted here, before any await, not in `subscribe`: subscribe messages are handled concurrently.
        connection.subscriptions++;
        const refused = await probeAccess(gateway, plan as SubscriptionPlan, connection.principal).catch(() => errorOf('SERVICE_UNAVAILABLE', 'Access check unavailable: retry later'));
        if (refused) {
          connection.subscriptions--;
          return [refused];
        }
        const contextValue: OperationContext = { kind: 'subscription', plan: plan as SubscriptionPlan, connection };
        return { schema, document, operationName: payload.operationName, variableValues, contextValue };
      },
      subscribe(args) {
        const context = args.contextValue as OperationContext;
        if (context.kind !== 'subscription') throw new Error('not a subscription');
        const { connection } = context;
        return hub.subscribe(context.plan, connection.principal, () => connection.subscriptions--);
      },
      async execute(args) {
        const context = args.contextValue as OperationContext;
        if (context.kind !== 'operation') throw new Error('not a query or mutation');
        const requestId = newId('req');
        const result = await gateway.execute({ query: context.query, operationName: context.operationName as string, variables: context.variables }, { principal: { ...context.connection.principal, requestId }, requestId });
        return result as ExecutionResult;
      },
    },
    wss,
    config.keepAliveMs,
  );

  server.onUpgrade((req, socket, head) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  logger?.debug('graphql-ws on /graphql');

  return {
    hub,
    async close() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
      await hub.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
