// Starts junction in one process (database unless MONGODB_URI, every subgraph on a loopback port,
// the gateway on PORT) or one part of it (`only`: 'gateway' or a subgraph name). Used by the
// launcher (main.ts) and by the e2e test stack.
import { readFile } from 'node:fs/promises';
import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import type { Env } from '../../platform/src/env.js';
import type { Logger } from '../../platform/src/logger.js';
import { connectDatabase, createClient, type Database } from '../../platform/src/mongo.js';
import { resolvePrincipalSecret } from '../../platform/src/principalSecret.js';
import { startSubgraph, type RunningSubgraph } from '../../platform/src/startSubgraph.js';
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { bootstrapData, ensureAllIndexes, type BootstrapResult } from './bootstrap.js';
import { startGatewayServer, type GatewayServer } from '../../gateway/src/GatewayServer.js';
import { createGateway } from '../../gateway/src/createGateway.js';
import { ApiKeyResolver } from '../../gateway/src/security/ApiKeyResolver.js';
import { createIdentityServices } from '../../gateway/src/security/createIdentityServices.js';
import { ReservingRateLimiter } from '../../gateway/src/security/ReservingRateLimiter.js';
import type { RestApi } from '../../gateway/src/rest/RestRoute.js';
import { startWebhookDispatcher } from '../../subgraphs/observability/src/dispatcher/WebhookDispatcher.js';
import { attachSubscriptions } from '../../gateway/src/subscriptions/attachSubscriptions.js';
import { startEmbeddedMongo } from '../../embedded-mongo/src/index.js';

export interface StartJunctionOptions {
  env: Env;
  logger: Logger;
  modules: SubgraphModule<any>[];
  restApis: RestApi[];
  /** 'all' (default), 'gateway', or a subgraph name. */
  only?: string;
  /** Supergraph SDL; read from `supergraphFile` when absent. */
  supergraphSdl?: string;
  supergraphFile?: string;
  /** Use this database instead of connecting (tests share one between gateways); not closed on stop. */
  database?: Database;
  /** Tests: every part gets its own driver client, and each command it starts is reported here. */
  commandMonitor?: (part: string, event: CommandStartedEvent) => void;
  /** Skip seeding demo data (tests). */
  seed?: boolean;
}

export interface Junction {
  gateway?: GatewayServer;
  subgraphs: RunningSubgraph[];
  database: Database;
  bootstrap?: BootstrapResult;
  principalSecret: string;
  stop(): Promise<void>;
}

export async function startJunction(options: StartJunctionOptions): Promise<Junction> {
  const { env, logger, modules } = options;
  const only = options.only ?? 'all';
  const runsGateway = only === 'all' || only === 'gateway';
  const ownModules = only === 'all' ? modules : modules.filter((m) => m.name === only);
  if (only !== 'all' && only !== 'gateway' && only !== 'dispatcher' && ownModules.length === 0) {
    throw new Error(`--only ${only}: no such part (gateway, ${modules.map((m) => m.name).join(', ')})`);
  }
  const cleanups: (() => Promise<void>)[] = [];
  // Stop order: the gateway first (stop accepting, finish in-flight requests), then the other parts
  // in reverse start order (subgraphs, then the database).
  let stopGateway: (() => Promise<void>) | undefined;
  const stopAll = async () => {
    for (const cleanup of [...(stopGateway ? [stopGateway] : []), ...cleanups.reverse()]) {
      try {
        await cleanup();
      } catch (error) {
        logger.error('error while stopping', { error });
      }
    }
  };

  try {
    // The gateway port answers /health with 503 from the first moment.
    let gatewayServer: GatewayServer | undefined;
    if (runsGateway) {
      gatewayServer = await startGatewayServer({ port: env.port, host: env.host, logger, bodyLimitBytes: env.bodyLimitBytes, shutdownGraceMs: env.shutdownGraceMs, trustedProxies: env.trustedProxies });
      stopGateway = () => gatewayServer!.close();
      logger.banner(`  gateway port ${gatewayServer.port} open (health: 503 until ready)`);
    }

    const principalSecret = await resolvePrincipalSecret({ principalSecret: env.principalSecret, dataDir: env.dataDir, allowGenerated: only === 'all' });
    let database = options.database;
    if (!database) {
      if (only !== 'all' && !env.mongodbUri) throw new Error('MONGODB_URI: must be set with --only (parts in separate processes share one replica set)');
      logger.banner(env.mongodbUri ? '  connecting to MongoDB (MONGODB_URI)' : `  starting the embedded database in ${env.dataDir}`);
      const db = await connectDatabase({ mongodbUri: env.mongodbUri, mongodbDb: env.mongodbDb, dataDir: env.dataDir, advertise: true, startEmbedded: startEmbeddedMongo });
      database = db;
      cleanups.push(() => db.close());
    }
    const { db, client } = database;
    await ensureAllIndexes(db, only === 'gateway' ? [] : ownModules);
    // Each part's handle on the database: the shared client, or (tests) a client of its own whose
    // commands are reported under the part's name, so a test can see who touches which collection.
    const databaseOf = async (part: string): Promise<{ db: Db; client: MongoClient }> => {
      const monitor = options.commandMonitor;
      if (!monitor) return { db, client };
      const own = createClient(database.uri, { monitorCommands: true });
      own.on('commandStarted', (event) => monitor(part, event));
      await own.connect();
      cleanups.push(() => own.close());
      return { db: own.db(db.databaseName), client: own };
    };

    const subgraphs: RunningSubgraph[] = [];
    for (const module of ownModules) {
      const port = only === 'all' ? env.subgraphPorts[module.name] ?? 0 : env.subgraphPorts[module.name] ?? env.port;
      const own = await databaseOf(module.name);
      const running = await startSubgraph({ module, db: own.db, client: own.client, principalSecret, config: { ...env, principalSecret }, logger, port, host: only === 'all' ? '127.0.0.1' : env.host, bodyLimitBytes: env.bodyLimitBytes * 2 });
      subgraphs.push(running);
      cleanups.push(() => running.close());
      logger.banner(`  subgraph ${module.name} at ${running.url}`);
    }

    // The webhook dispatcher: in `npm start`, and alone with `--only dispatcher`.
    if (only === 'dispatcher' || (only === 'all' && env.events.dispatcherInProcess)) {
      if (only === 'dispatcher') await ensureAllIndexes(db, modules.filter((m) => m.name === 'observability'));
      cleanups.push(await startWebhookDispatcher({ db: (await databaseOf('dispatcher')).db, config: env.events, principalSecret, logger: logger.child({ part: 'dispatcher' }) }));
    }

    let bootstrap: BootstrapResult | undefined;
    if (only === 'all' && options.seed !== false) {
      bootstrap = await bootstrapData({ db, modules, adminApiKey: env.adminApiKey, adminIdentity: env.adminIdentity, dataDir: env.dataDir, config: env, logger });
    }

    if (gatewayServer) {
      // The gateway's own handle (shadows the shared one in this block).
      const { db } = await databaseOf('gateway');
      const urls: Record<string, string> = { ...env.subgraphUrls };
      for (const s of subgraphs) urls[s.name] = s.url; // the launcher's own ports win
      const supergraphSdl = options.supergraphSdl ?? (await readFile(options.supergraphFile ?? 'schema/supergraph.graphql', 'utf8'));
      const gateway = await createGateway({ supergraphSdl, subgraphUrls: urls, principalSecret, logger, inflightDedup: env.inflightDedup });
      const authUrl = gateway.urls.auth ?? urls.auth;
      if (!authUrl) throw new Error('SUBGRAPH_AUTH_URL: the gateway needs the auth subgraph to resolve API keys');
      const apiKeys = new ApiKeyResolver({ authUrl: () => authUrl, secret: principalSecret, cacheMs: env.keyCacheMs, enterpriseLimits: env.enterpriseLimits });
      const rateLimiter = new ReservingRateLimiter(db);
      // JWTs, sign-in/OAuth/JWKS endpoints, immediate revocation (identity issue).
      const identity = await createIdentityServices({ db, principalSecret, authUrl: () => authUrl, apiKeys, rateLimiter, enterpriseLimits: env.enterpriseLimits, cacheMs: env.keyCacheMs, bodyLimitBytes: env.bodyLimitBytes, logger });
      cleanups.push(() => identity.stop());
      gatewayServer.attach({
        gateway,
        credentials: [apiKeys, identity.jwtResolver],
        publicEndpoints: identity.publicEndpoints,
        rateLimiter,
        restApis: options.restApis,
        healthCheck: healthCheck(db, only === 'gateway' ? Object.values(gateway.urls) : []),
      });
      // graphql-ws on /graphql (events issue); its sockets close before the HTTP server stops.
      const subscriptions = await attachSubscriptions({ server: gatewayServer, gateway, db, supergraphSdl, config: env.events.subscriptions, logger });
      const stopHttp = stopGateway!;
      stopGateway = async () => {
        await subscriptions.close();
        await stopHttp();
      };
      gatewayServer.setReady(true);
    }

    return { gateway: gatewayServer, subgraphs, database, bootstrap, principalSecret, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** /health beyond start-up: the database answers a ping, and (gateway alone) every remote
 * subgraph answers its /health. Cached for 2 s so probes cannot load the system. */
function healthCheck(db: Db, subgraphUrls: string[]): () => Promise<boolean> {
  let cached: { ok: boolean; at: number } | undefined;
  const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
  return async () => {
    if (cached && Date.now() - cached.at < 2000) return cached.ok;
    const checks = [
      within(db.command({ ping: 1 }), 1000).then(() => true, () => false),
      ...subgraphUrls.map((u) => fetch(new URL('/health', u), { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)),
    ];
    cached = { ok: (await Promise.all(checks)).every(Boolean), at: Date.now() };
    return cached.ok;
  };
}
