import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../src/index.js';

export type EmbeddedServer = Awaited<ReturnType<typeof startEmbeddedMongo>>;

/** An in-process server on a fresh temp directory, with a connected client; `stop` removes both. */
export async function tempServer(prefix: string, options: Partial<EmbeddedMongoOptions> = {}): Promise<{ server: EmbeddedServer; client: MongoClient; dbPath: string; stop(): Promise<void> }> {
  const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), `em-${prefix}-`));
  const server = await startEmbeddedMongo({ port: 0, host: '127.0.0.1', ...options, dbPath });
  const client = new MongoClient(server.uri);
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
