// What a command handler gets: the server's state, the command, its database, its session and
// transaction, and the Writer through which every change goes.
import type { Document, ObjectId } from 'bson';
import type { CursorRegistry } from '../cursors/CursorRegistry.js';
import type { Engine } from '../storage/Engine.js';
import type { Session, Sessions, Txn } from '../txn/Sessions.js';
import type { Writer } from '../txn/Writer.js';

export interface ServerOptions {
  host: string;
  port: number;
  /** Default batch size cap and limits. */
  maxConnections: number;
  cursorTimeoutMS: number;
  ttlMonitorIntervalMS: number;
  transactionLifetimeLimitSeconds: number;
}

export interface ServerState {
  engine: Engine;
  cursors: CursorRegistry;
  sessions: Sessions;
  options: ServerOptions;
  processId: ObjectId;
  electionId: ObjectId;
  startTime: Date;
  /** The address clients use (host:port). */
  address(): string;
  connectionCount(): number;
  totalConnections: number;
}

export interface ConnectionInfo {
  id: number;
  remote: string;
  clientMetadata?: Document;
}

export interface CommandContext {
  state: ServerState;
  db: string;
  cmd: Document;
  name: string;
  conn: ConnectionInfo;
  session: Session | undefined;
  txn: Txn | undefined;
  writer: Writer;
  /** Runs a write statement, waiting (and retrying) while a transaction holds its document. */
  statement<T>(fn: () => T): Promise<T>;
}

export type CommandHandler = (ctx: CommandContext) => Promise<Document> | Document;

export interface CommandSpec {
  handler: CommandHandler;
  /** Allowed inside a multi-document transaction. */
  inTxn?: boolean;
  /** Runs against the admin database only. */
  adminOnly?: boolean;
}
