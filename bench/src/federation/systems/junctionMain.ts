// Process entry: junction's own gateway (gateway/src) with its production features — API key
// auth through the auth subgraph, rate limits counted in MongoDB — over an arbitrary supergraph.
// argv: <supergraph file> <port> <merging 0|1> <workers> <mongodb uri> <data dir> <admin key> <principal secret>
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createGateway } from '../../../../gateway/src/createGateway.js';
import { startGatewayServer } from '../../../../gateway/src/GatewayServer.js';
import { runClustered } from './runClustered.js';
import { ApiKeyResolver } from '../../../../gateway/src/security/ApiKeyResolver.js';
import { ReservingRateLimiter } from '../../../../gateway/src/security/ReservingRateLimiter.js';
import { bootstrapData, ensureAllIndexes } from '../../../../app/src/bootstrap.js';
import { connectDatabase } from '../../../../platform/src/mongo.js';
import { createLogger } from '../../../../platform/src/logger.js';
import { loadEnv } from '../../../../platform/src/env.js';
import { startSubgraph } from '../../../../platform/src/startSubgraph.js';
import { authSubgraph } from '../../../../subgraphs/auth/src/index.js';
import { startEmbeddedMongo } from '../../../../embedded-mongo/src/index.js';

const [supergraphFile, port, merging, workers, mongodbUri, dataDir, adminApiKey, principalSecret] = process.argv.slice(2) as string[];
const logger = createLogger('error');
// "A high enterprise limit": the load must measure the limiter's cost, never be refused by it.
const enterpriseLimits = { perMinute: 1_000_000_000, perDay: 1_000_000_000 };

async function connect() {
  return connectDatabase({ mongodbUri, mongodbDb: 'junction_bench', dataDir: dataDir!, startEmbedded: startEmbeddedMongo });
}

async function startWorker(): Promise<{ url: string; close(): Promise<void> }> {
  const database = await connect();
  const auth = await startSubgraph({ module: authSubgraph, db: database.db, client: database.client, principalSecret: principalSecret!, config: loadEnv({}), logger, port: 0, host: '127.0.0.1' });
  const gateway = await createGateway({
    supergraphSdl: readFileSync(supergraphFile!, 'utf8'),
    subgraphUrls: {},
    principalSecret: principalSecret!,
    logger,
    inflightDedup: merging === '1',
  });
  const server = await startGatewayServer({ port: Number(port), host: '127.0.0.1', logger, bodyLimitBytes: 1_048_576, shutdownGraceMs: 1_000 });
  server.attach({
    gateway,
    credentials: [new ApiKeyResolver({ authUrl: () => auth.url, secret: principalSecret!, cacheMs: 5_000, enterpriseLimits })],
    rateLimiter: new ReservingRateLimiter(database.db),
    restApis: [],
  });
  server.setReady(true);
  return {
    url: `${server.url}/graphql`,
    close: async () => {
      await server.close();
      await auth.close();
      await database.close();
    },
  };
}

if (cluster.isPrimary) {
  // Indexes and the enterprise key once, before any worker serves.
  const database = await connect();
  await ensureAllIndexes(database.db, [authSubgraph]);
  await bootstrapData({ db: database.db, modules: [authSubgraph], adminApiKey, dataDir: dataDir!, config: loadEnv({}), logger });
  await database.close();
}
await runClustered({ workers: Number(workers), startWorker, onReady: (url) => console.log(`LISTENING ${url}`) });
