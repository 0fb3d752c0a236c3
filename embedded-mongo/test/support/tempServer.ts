// An in-process server on a fresh temporary data directory, with a connected driver client.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../src/index.js';

export interface TempServer {
  server: EmbeddedMongo;
  client: MongoClient;
  dbPath: string;
  /** Closes the client and the server and removes the directory. */
  stop(): Promise<void>;
}

export async function tempServer(prefix: string, options: Partial<Omit<EmbeddedMongoOptions, 'dbPath'>> = {}): Promise<TempServer> {
  const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), `em-${prefix}-`));
  const server = await startEmbeddedMongo({ port: 0, host: '127.0.0.1', ...options, dbPath });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    server,
    client,
    dbPath,
    async stop() {
      await client.close();
      await server.close();
      fs.rmSync(dbPath, { recursive: true, force: true });
    },
  };
}
