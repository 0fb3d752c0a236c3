import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';
import { restApis } from '../../../gateway/src/rest/apis.js';
import { composeSupergraph } from '../../../app/src/compose.js';
import { loopbackEnv } from '../lib/loopbackEnv.js';
import { createLogger } from '../../../platform/src/logger.js';
import { startJunction } from '../../../app/src/startJunction.js';
import { subgraphs } from '../../../app/src/subgraphRegistry.js';
import { createApiKey, ensureAccount } from '../../../subgraphs/auth/src/store.js';

export interface DomainStack {
  url: string;
  key: string;
  /** Database commands (name and collection) seen by the driver since the last `resetCommands()`. */
  commands: Array<{ name: string; collection: string }>;
  resetCommands(): void;
  stop(): Promise<void>;
}

/**
 * junction as `npm start` runs it (every registered subgraph, the gateway with auth and rate
 * limits, the embedded database), in this process, with the driver's command monitoring on so
 * the scenario can count database round trips per request.
 */
export async function startDomainStack(): Promise<DomainStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'junction-domain-'));
  const mongo = await startEmbeddedMongo({ dbPath: path.join(dataDir, 'db'), port: 0, host: '127.0.0.1' });
  const client = new MongoClient(mongo.uri, { monitorCommands: true, maxPoolSize: 50 });
  const commands: Array<{ name: string; collection: string }> = [];
  client.on('commandStarted', (e) => {
    const cmd = e.command as Record<string, unknown>;
    // getMore names its collection in `collection`; the others in the command's own field.
    const collection = e.commandName === 'getMore' ? cmd.collection : cmd[e.commandName];
    commands.push({ name: e.commandName, collection: typeof collection === 'string' ? collection : '' });
  });
  await client.connect();
  const db = client.db('junction_domain');
  const env = loopbackEnv(dataDir, {
    LOG_LEVEL: 'error',
    RATE_LIMIT_ENTERPRISE_PER_MINUTE: '1000000000',
    RATE_LIMIT_ENTERPRISE_PER_DAY: '1000000000',
  });
  const supergraphSdl = composeSupergraph(subgraphs.map((m) => ({ name: m.name, sdl: print(m.typeDefs) })));
  const junction = await startJunction({
    env,
    logger: createLogger('error'),
    modules: subgraphs,
    restApis,
    supergraphSdl,
    seed: false,
    database: { client, db, uri: mongo.uri, embedded: true, close: async () => undefined },
  });
  const account = await ensureAccount(db, 'bench', 'enterprise');
  const { secret } = await createApiKey(db, { accountId: account._id, type: 'live', plan: 'enterprise' });
  return {
    url: junction.gateway!.url,
    key: secret,
    commands,
    resetCommands: () => void commands.splice(0),
    async stop() {
      await junction.stop();
      await client.close();
      await mongo.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
