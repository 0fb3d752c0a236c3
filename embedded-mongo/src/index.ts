// embedded-mongo: a MongoDB wire-protocol server with durable storage, for development and tests.
import path from 'node:path';
import { MongoWireServer, type ServerConfig } from './server/Server.js';

export interface EmbeddedMongoOptions extends Partial<Omit<ServerConfig, 'dbPath'>> {
  /** Data directory (created if missing). */
  dbPath: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

export interface EmbeddedMongo {
  /** Connection string for the official driver. */
  uri: string;
  port: number;
  host: string;
  dbPath: string;
  /** Stops accepting connections, flushes the WAL and releases the data directory. */
  close(): Promise<void>;
  /** The server object (engine, oplog, cursors) for in-process extensions and tests. */
  server: MongoWireServer;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const server = await MongoWireServer.start({ ...options, host, port: options.port ?? 0 });
  const port = server.port;
  const uriHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    uri: `mongodb://${uriHost}:${port}/?directConnection=true`,
    port,
    host,
    dbPath: path.resolve(options.dbPath),
    server,
    close: () => (closing ??= server.close()),
  };
}

export { MongoWireServer } from './server/Server.js';
export type { OplogEntry } from './oplog.js';
export type { CursorSource } from './cursors/CursorSource.js';
