// The one way into the database: the official driver, against MONGODB_URI when set, otherwise
// against an embedded server that the caller supplies (the composition root passes
// embedded-mongo's), started on DATA_DIR. Nothing else in the code knows which it is.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

/** Starts a MongoDB-compatible server on a data directory (embedded-mongo's `startEmbeddedMongo`). */
export type EmbeddedServerStarter = (options: { dbPath: string; port?: number; host?: string }) => Promise<{ uri: string; close(): Promise<void> }>;

export interface Database {
  client: MongoClient;
  db: Db;
  uri: string;
  /** True when this process started the embedded server (and must stop it). */
  embedded: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  mongodbUri: string | undefined;
  mongodbDb: string;
  dataDir: string;
  /** Embedded server port (0 = any). */
  embeddedPort?: number;
  /** Write the embedded server's URI to DATA_DIR/mongo.uri so the CLI can reach it. */
  advertise?: boolean;
  /** Used when `mongodbUri` is unset. */
  startEmbedded?: EmbeddedServerStarter;
}

export function mongoUriFile(dataDir: string): string {
  return path.join(dataDir, 'mongo.uri');
}

export function createClient(uri: string, options: MongoClientOptions = {}): MongoClient {
  // Short server selection so a wrong URI fails start-up quickly with a clear error.
  return new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 50, ...options });
}

export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  let uri: string | undefined = options.mongodbUri;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!uri) {
    if (!options.startEmbedded) throw new Error('MONGODB_URI: must be set (no embedded server in this process)');
    await mkdir(options.dataDir, { recursive: true });
    const server = await options.startEmbedded({ dbPath: path.join(options.dataDir, 'db'), port: options.embeddedPort ?? 0, host: '127.0.0.1' });
    uri = server.uri;
    stopEmbedded = () => server.close();
    if (options.advertise) await writeFile(mongoUriFile(options.dataDir), uri + '\n', { mode: 0o600 });
  }
  if (!uri) throw new Error('no database URI');
  const client = createClient(uri);
  try {
    await client.connect();
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const db = client.db(options.mongodbDb);
  return {
    client,
    db,
    uri,
    embedded: stopEmbedded !== undefined,
    async close() {
      await client.close();
      if (stopEmbedded) {
        if (options.advertise) await rm(mongoUriFile(options.dataDir), { force: true });
        await stopEmbedded();
      }
    },
  };
}
