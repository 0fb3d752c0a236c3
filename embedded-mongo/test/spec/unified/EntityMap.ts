import { MongoClient, type ClientSession, type Db, type Collection, type ChangeStream, type AbstractCursor } from 'mongodb';
import type { MatchContext } from './matchValue.js';

/** One observed command monitoring event, reduced to the fields the format can assert. */
export interface ObservedEvent {
  type: 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';
  commandName: string;
  databaseName: string;
  command?: Record<string, unknown>;
  reply?: Record<string, unknown>;
}

export interface ClientEntity {
  client: MongoClient;
  events: ObservedEvent[];
  /** Every command started on this client (observed or not), for the lsid assertions. */
  started: Record<string, unknown>[];
}

/** Commands whose events the format says to ignore unless observeSensitiveCommands is set. */
const SENSITIVE = new Set(['authenticate', 'saslstart', 'saslcontinue', 'getnonce', 'createuser', 'updateuser', 'copydbgetnonce', 'copydbsaslstart', 'copydb', 'hello', 'ismaster']);

/** The per-test entity map of the unified test format. */
export class EntityMap implements MatchContext {
  private readonly map = new Map<string, unknown>();
  readonly clients = new Map<string, ClientEntity>();
  /** Change streams and cursors created in the test, closed at the end. */
  readonly closables: Array<{ close(): Promise<void> }> = [];
  /** A document the runner already pulled from a change stream while making sure it was opened. */
  readonly sessions = new Map<string, ClientSession>();
  readonly lsids = new Map<string, unknown>();

  constructor(private readonly uri: string) {}

  get<T>(name: string): T {
    if (!this.map.has(name)) throw new Error(`entity ${name} is not defined`);
    return this.map.get(name) as T;
  }

  set(name: string, value: unknown): void {
    if (this.map.has(name)) throw new Error(`entity ${name} already defined`);
    this.map.set(name, value);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  entity(name: string): unknown {
    return this.get(name);
  }

  sessionLsid(name: string): unknown {
    const lsid = this.lsids.get(name);
    if (lsid === undefined) throw new Error(`session ${name} is not defined`);
    return lsid;
  }

  async create(def: Record<string, Record<string, any>>): Promise<void> {
    const [kind, spec] = Object.entries(def)[0] as [string, Record<string, any>];
    switch (kind) {
      case 'client': return this.createClient(spec);
      case 'database': {
        const c = this.clients.get(spec.client);
        if (!c) throw new Error(`client ${spec.client} is not defined`);
        this.set(spec.id, c.client.db(spec.databaseName, spec.databaseOptions));
        return;
      }
      case 'collection': {
        const db = this.get<Db>(spec.database);
        this.set(spec.id, db.collection(spec.collectionName, spec.collectionOptions));
        return;
      }
      case 'session': {
        const c = this.clients.get(spec.client);
        if (!c) throw new Error(`client ${spec.client} is not defined`);
        const session = c.client.startSession(spec.sessionOptions);
        this.sessions.set(spec.id, session);
        this.lsids.set(spec.id, session.id);
        this.set(spec.id, session);
        return;
      }
      default:
        throw new Error(`unsupported entity type ${kind}`);
    }
  }

  private async createClient(spec: Record<string, any>): Promise<void> {
    const url = new URL(this.uri);
    for (const [k, v] of Object.entries((spec.uriOptions ?? {}) as Record<string, unknown>)) {
      url.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    const client = new MongoClient(url.toString(), { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
    const observe = new Set<string>(spec.observeEvents ?? []);
    const ignore = new Set<string>(spec.ignoreCommandMonitoringEvents ?? []);
    ignore.add('configureFailPoint');
    const sensitiveOk = spec.observeSensitiveCommands === true;
    const entity: ClientEntity = { client, events: [], started: [] };
    const keep = (name: string) => !ignore.has(name) && (sensitiveOk || !SENSITIVE.has(name.toLowerCase()));
    client.on('commandStarted', (e) => {
      entity.started.push(e.command);
      if (observe.has('commandStartedEvent') && keep(e.commandName))
        entity.events.push({ type: 'commandStartedEvent', commandName: e.commandName, databaseName: e.databaseName, command: e.command });
    });
    client.on('commandSucceeded', (e) => {
      if (observe.has('commandSucceededEvent') && keep(e.commandName))
        entity.events.push({ type: 'commandSucceededEvent', commandName: e.commandName, databaseName: e.databaseName, reply: e.reply as Record<string, unknown> });
    });
    client.on('commandFailed', (e) => {
      if (observe.has('commandFailedEvent') && keep(e.commandName))
        entity.events.push({ type: 'commandFailedEvent', commandName: e.commandName, databaseName: e.databaseName });
    });
    await client.connect();
    this.clients.set(spec.id, entity);
    this.set(spec.id, client);
  }

  /** Ends sessions, closes streams and cursors, then the clients. Errors are irrelevant here. */
  async close(): Promise<void> {
    for (const c of this.closables) await c.close().catch(() => undefined);
    for (const s of this.sessions.values()) {
      if (s.inTransaction()) await s.abortTransaction().catch(() => undefined);
      await s.endSession().catch(() => undefined);
    }
    for (const c of this.clients.values()) await c.client.close(true).catch(() => undefined);
  }
}

export type AnyCollection = Collection<Record<string, unknown>>;
export type AnyCursor = AbstractCursor<unknown> | ChangeStream;
