// Test helpers: a server on a fresh temporary data directory, and a driver client for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from './index.js';

export function tempDir(prefix = 'embedded-mongo-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  server: EmbeddedMongo;
  client: MongoClient;
  dbPath: string;
  stop(): Promise<void>;
}

/** A server on `options.dbPath`, or on a fresh temporary directory that `stop` removes. */
export async function startTestServer(options: Partial<EmbeddedMongoOptions> = {}, prefix?: string): Promise<TestServer> {
  const ownDir = options.dbPath === undefined;
  const dbPath = options.dbPath ?? tempDir(prefix);
  const server = await startEmbeddedMongo({ ...options, dbPath });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    server,
    client,
    dbPath,
    async stop() {
      await client.close();
      await server.close();
      if (ownDir) fs.rmSync(dbPath, { recursive: true, force: true });
    },
  };
}
