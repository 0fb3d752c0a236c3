import { MongoClient, Db, Collection, ClientSession, ChangeStream, AbstractCursor, BulkWriteResult, type ClientBulkWriteModel, type ClientBulkWriteResult, type Document } from 'mongodb';
import type { EntityMap } from './EntityMap.js';

/** The runner gave up waiting: a test failure, never an expected error. */
export class RunnerTimeout extends Error {}

export interface SpecOperation {
  name: string;
  object: string;
  arguments?: Record<string, any>;
  expectResult?: unknown;
  expectError?: Record<string, any>;
  ignoreResultAndError?: boolean;
  saveResultAsEntity?: string;
}

/** Runs one nested operation list (used by withTransaction); provided by the test runner. */
export type RunOperations = (ops: SpecOperation[]) => Promise<void>;

type Args = Record<string, any>;
type Handler = (target: any, args: Args, ctx: { entities: EntityMap; runOperations: RunOperations; failPoints: FailPointLog }) => Promise<unknown>;

/** Fail points enabled in a test, disabled again when it ends. */
export type FailPointLog = Array<{ client: MongoClient; name: string }>;

/** Options shared by most operations: the session argument names a session entity. */
function withSession(args: Args, entities: EntityMap): Args {
  const { session, ...rest } = args;
  return session === undefined ? rest : { ...rest, session: entities.get<ClientSession>(session) };
}

function returnDocument(opts: Args): Args {
  if (typeof opts.returnDocument === 'string') return { ...opts, returnDocument: opts.returnDocument.toLowerCase() };
  return opts;
}

export function bulkWriteResultDocument(r: BulkWriteResult): Document {
  return {
    deletedCount: r.deletedCount,
    insertedCount: r.insertedCount,
    insertedIds: { ...r.insertedIds },
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: { ...r.upsertedIds },
  };
}

function updateResultDocument(r: { matchedCount: number; modifiedCount: number; upsertedCount: number; upsertedId: unknown }): Document {
  const doc: Document = { matchedCount: r.matchedCount, modifiedCount: r.modifiedCount, upsertedCount: r.upsertedCount };
  if (r.upsertedId !== null && r.upsertedId !== undefined) doc.upsertedId = r.upsertedId;
  return doc;
}

/** Opens a change stream and makes sure its aggregate has run, without consuming an event. */
async function openChangeStream(target: MongoClient | Db | Collection, args: Args, entities: EntityMap): Promise<ChangeStream> {
  const { pipeline = [], ...opts } = withSession(args, entities);
  const stream = target.watch(pipeline, opts);
  entities.closables.push(stream);
  await (stream as unknown as { cursor: { cursorInit(): Promise<void> } }).cursor.cursorInit();
  return stream;
}

/** How long iterateUntilDocumentOrError waits for an event that may never come. */
const ITERATE_TIMEOUT_MS = 10_000;

async function iterate(cursor: ChangeStream | AbstractCursor<unknown>): Promise<unknown> {
  if (cursor instanceof ChangeStream) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new RunnerTimeout(`no change event within ${ITERATE_TIMEOUT_MS} ms`)), ITERATE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([cursor.next(), timeout]);
    } catch (e) {
      if (e instanceof RunnerTimeout) await cursor.close().catch(() => undefined);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
  const doc = await cursor.next();
  if (doc === null) throw new Error('cursor exhausted without a document');
  return doc;
}

const collectionOps: Record<string, Handler> = {
  aggregate: async (c: Collection, a, { entities }) => { const { pipeline, ...o } = withSession(a, entities); return c.aggregate(pipeline, o).toArray(); },
  bulkWrite: async (c: Collection, a, { entities }) => { const { requests, ...o } = withSession(a, entities); return bulkWriteResultDocument(await c.bulkWrite(requests, o)); },
  countDocuments: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return c.countDocuments(filter, o); },
  count: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return (c as any).count(filter, o); },
  estimatedDocumentCount: async (c: Collection, a, { entities }) => c.estimatedDocumentCount(withSession(a, entities)),
  createChangeStream: async (c: Collection, a, { entities }) => openChangeStream(c, a, entities),
  watch: async (c: Collection, a, { entities }) => openChangeStream(c, a, entities),
  deleteOne: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); const r = await c.deleteOne(filter, o); return { deletedCount: r.deletedCount }; },
  deleteMany: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); const r = await c.deleteMany(filter, o); return { deletedCount: r.deletedCount }; },
  distinct: async (c: Collection, a, { entities }) => { const { fieldName, filter, ...o } = withSession(a, entities); return c.distinct(fieldName, filter ?? {}, o); },
  find: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return c.find(filter ?? {}, o).toArray(); },
  createFindCursor: async (c: Collection, a, { entities }) => {
    const { filter, ...o } = withSession(a, entities);
    const cursor = c.find(filter ?? {}, o);
    entities.closables.push(cursor);
    await (cursor as unknown as { cursorInit(): Promise<void> }).cursorInit?.();
    return cursor;
  },
  findOne: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return c.findOne(filter ?? {}, o); },
  findOneAndDelete: async (c: Collection, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return c.findOneAndDelete(filter, o); },
  findOneAndReplace: async (c: Collection, a, { entities }) => { const { filter, replacement, ...o } = withSession(a, entities); return c.findOneAndReplace(filter, replacement, returnDocument(o)); },
  findOneAndUpdate: async (c: Collection, a, { entities }) => { const { filter, update, ...o } = withSession(a, entities); return c.findOneAndUpdate(filter, update, returnDocument(o)); },
  insertOne: async (c: Collection, a, { entities }) => { const { document, ...o } = withSession(a, entities); const r = await c.insertOne(document, o); return { insertedId: r.insertedId }; },
  insertMany: async (c: Collection, a, { entities }) => { const { documents, ...o } = withSession(a, entities); const r = await c.insertMany(documents, o); return { insertedIds: { ...r.insertedIds } }; },
  replaceOne: async (c: Collection, a, { entities }) => { const { filter, replacement, ...o } = withSession(a, entities); return updateResultDocument(await c.replaceOne(filter, replacement, o)); },
  updateOne: async (c: Collection, a, { entities }) => { const { filter, update, ...o } = withSession(a, entities); return updateResultDocument(await c.updateOne(filter, update, o)); },
  updateMany: async (c: Collection, a, { entities }) => { const { filter, update, ...o } = withSession(a, entities); return updateResultDocument(await c.updateMany(filter, update, o)); },
  createIndex: async (c: Collection, a, { entities }) => { const { keys, ...o } = withSession(a, entities); return c.createIndex(keys, o); },
  dropIndex: async (c: Collection, a, { entities }) => { const { name, ...o } = withSession(a, entities); await c.dropIndex(name, o); return undefined; },
  listIndexes: async (c: Collection, a, { entities }) => c.listIndexes(withSession(a, entities)).toArray(),
  rename: async (c: Collection, a, { entities }) => { const { to, ...o } = withSession(a, entities); await c.rename(to, o); return undefined; },
  drop: async (c: Collection, a, { entities }) => c.drop(withSession(a, entities)),
};

const databaseOps: Record<string, Handler> = {
  aggregate: async (d: Db, a, { entities }) => { const { pipeline, ...o } = withSession(a, entities); return d.aggregate(pipeline, o).toArray(); },
  createChangeStream: async (d: Db, a, { entities }) => openChangeStream(d, a, entities),
  watch: async (d: Db, a, { entities }) => openChangeStream(d, a, entities),
  createCollection: async (d: Db, a, { entities }) => { const { collection, ...o } = withSession(a, entities); await d.createCollection(collection, o); return undefined; },
  dropCollection: async (d: Db, a, { entities }) => { const { collection, ...o } = withSession(a, entities); await d.dropCollection(collection, o); return undefined; },
  listCollections: async (d: Db, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return d.listCollections(filter ?? {}, o).toArray(); },
  listCollectionNames: async (d: Db, a, { entities }) => { const { filter, ...o } = withSession(a, entities); return (await d.listCollections(filter ?? {}, o).toArray()).map((c) => c.name); },
  runCommand: async (d: Db, a, { entities }) => { const { command, commandName: _n, ...o } = withSession(a, entities); return d.command(command, o); },
  modifyCollection: async (d: Db, a, { entities }) => { const { collection, ...o } = withSession(a, entities); return d.command({ collMod: collection, ...o }); },
};

const clientOps: Record<string, Handler> = {
  createChangeStream: async (c: MongoClient, a, { entities }) => openChangeStream(c, a, entities),
  watch: async (c: MongoClient, a, { entities }) => openChangeStream(c, a, entities),
  listDatabases: async (c: MongoClient, a, { entities }) => (await c.db('admin').admin().listDatabases(withSession(a, entities))).databases,
  listDatabaseNames: async (c: MongoClient, a, { entities }) => (await c.db('admin').admin().listDatabases(withSession(a, entities))).databases.map((d) => d.name),
  clientBulkWrite: async (c: MongoClient, a, { entities }) => {
    const { models, ...o } = withSession(a, entities);
    // The spec writes `{ insertOne: { namespace, document } }`; the driver takes `{ name: 'insertOne', namespace, document }`.
    const driverModels = (models as Array<Record<string, Document>>).map((m) => {
      const [name, fields] = Object.entries(m)[0]!;
      return { name, ...fields } as unknown as ClientBulkWriteModel;
    });
    return clientBulkWriteResultDocument(await c.bulkWrite(driverModels, o));
  },
};

/** The spec's shape of a client bulkWrite result: per-model results keyed by model index. */
function clientBulkWriteResultDocument(r: ClientBulkWriteResult): Document {
  const byIndex = (m: ReadonlyMap<number, unknown> | undefined) => (m ? Object.fromEntries([...m].map(([i, v]) => [String(i), v])) : undefined);
  const doc: Document = {
    insertedCount: r.insertedCount, upsertedCount: r.upsertedCount, matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount, deletedCount: r.deletedCount,
  };
  if (r.insertResults) doc.insertResults = byIndex(r.insertResults);
  if (r.updateResults) doc.updateResults = byIndex(r.updateResults);
  if (r.deleteResults) doc.deleteResults = byIndex(r.deleteResults);
  return doc;
}

const sessionOps: Record<string, Handler> = {
  startTransaction: async (s: ClientSession, a) => { s.startTransaction(a); return undefined; },
  commitTransaction: async (s: ClientSession) => { await s.commitTransaction(); return undefined; },
  abortTransaction: async (s: ClientSession) => { await s.abortTransaction(); return undefined; },
  endSession: async (s: ClientSession) => { await s.endSession(); return undefined; },
  withTransaction: async (s: ClientSession, a, { runOperations }) => {
    const { callback, ...o } = a;
    await s.withTransaction(() => runOperations(callback), o);
    return undefined;
  },
};

const cursorOps: Record<string, Handler> = {
  iterateUntilDocumentOrError: async (c: ChangeStream | AbstractCursor<unknown>) => iterate(c),
  iterateOnce: async (c: ChangeStream | AbstractCursor<unknown>) => c.tryNext(),
  close: async (c: ChangeStream | AbstractCursor<unknown>) => { await c.close().catch(() => undefined); return undefined; },
};

const runnerOps: Record<string, Handler> = {
  failPoint: async (_t, a, { entities, failPoints }) => {
    const client = entities.get<MongoClient>(a.client);
    await client.db('admin').command(a.failPoint);
    failPoints.push({ client, name: a.failPoint.configureFailPoint });
    return undefined;
  },
  assertCollectionExists: async (_t, a, { entities }) => assertCollection(entities, a, true),
  assertCollectionNotExists: async (_t, a, { entities }) => assertCollection(entities, a, false),
  assertIndexExists: async (_t, a, { entities }) => assertIndex(entities, a, true),
  assertIndexNotExists: async (_t, a, { entities }) => assertIndex(entities, a, false),
  assertSessionTransactionState: async (_t, a, { entities }) => {
    const s = entities.get<ClientSession>(a.session) as unknown as { transaction: { state: string } };
    const states: Record<string, string> = {
      NO_TRANSACTION: 'none', STARTING_TRANSACTION: 'starting', TRANSACTION_IN_PROGRESS: 'in_progress',
      TRANSACTION_COMMITTED: 'committed', TRANSACTION_COMMITTED_EMPTY: 'committed', TRANSACTION_ABORTED: 'aborted',
    };
    const actual = states[s.transaction.state] ?? s.transaction.state;
    if (actual !== a.state) throw new Error(`session state ${actual}, expected ${a.state}`);
    return undefined;
  },
  assertSessionPinned: async () => { throw new Error('sessions are never pinned on a replica set'); },
  assertSessionUnpinned: async () => undefined,
  assertSameLsidOnLastTwoCommands: async (_t, a, { entities }) => assertLsids(entities, a.client, true),
  assertDifferentLsidOnLastTwoCommands: async (_t, a, { entities }) => assertLsids(entities, a.client, false),
  assertSessionDirty: async (_t, a, { entities }) => { if (!(entities.get<ClientSession>(a.session).serverSession?.isDirty)) throw new Error('session is not dirty'); return undefined; },
  assertSessionNotDirty: async (_t, a, { entities }) => { if (entities.get<ClientSession>(a.session).serverSession?.isDirty) throw new Error('session is dirty'); return undefined; },
  createEntities: async (_t, a, { entities }) => { for (const e of a.entities) await entities.create(e); return undefined; },
  wait: async (_t, a) => { await new Promise((r) => setTimeout(r, a.ms)); return undefined; },
};

async function assertCollection(entities: EntityMap, a: Args, exists: boolean): Promise<undefined> {
  const [client] = entities.clients.values();
  if (!client) throw new Error('no client entity');
  const names = (await client.client.db(a.databaseName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  if (names.includes(a.collectionName) !== exists) throw new Error(`collection ${a.databaseName}.${a.collectionName} ${exists ? 'does not exist' : 'exists'}`);
  return undefined;
}

async function assertIndex(entities: EntityMap, a: Args, exists: boolean): Promise<undefined> {
  const [client] = entities.clients.values();
  if (!client) throw new Error('no client entity');
  const names = (await client.client.db(a.databaseName).collection(a.collectionName).listIndexes().toArray().catch(() => [])).map((i) => i.name);
  if (names.includes(a.indexName) !== exists) throw new Error(`index ${a.indexName} ${exists ? 'does not exist' : 'exists'}`);
  return undefined;
}

function assertLsids(entities: EntityMap, clientName: string, same: boolean): undefined {
  const c = entities.clients.get(clientName);
  if (!c) throw new Error(`client ${clientName} is not defined`);
  const [a, b] = c.started.slice(-2).map((cmd) => JSON.stringify(cmd.lsid));
  if ((a === b) !== same) throw new Error(`lsids of the last two commands are ${same ? 'different' : 'the same'}`);
  return undefined;
}

/** Finds the handler for an operation on a given target object, or explains why there is none. */
export function handlerFor(name: string, target: unknown): Handler {
  const table =
    target === 'testRunner' ? runnerOps
    : target instanceof Collection ? collectionOps
    : target instanceof Db ? databaseOps
    : target instanceof MongoClient ? clientOps
    : target instanceof ClientSession ? sessionOps
    : target instanceof ChangeStream || target instanceof AbstractCursor ? cursorOps
    : {};
  const h = table[name];
  if (!h) throw new Error(`operation ${name} is not supported by the runner on this object`);
  return h;
}
