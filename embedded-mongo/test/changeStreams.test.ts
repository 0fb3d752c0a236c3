// Change streams through the real driver: collection, database and deployment streams, event
// shapes, pipelines, fullDocument lookups, transactions, invalidation, resume tokens, awaiting
// getMore, and resuming across a server restart (explicitly and through the driver's own resume).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type ChangeStream, type ChangeStreamDocument, type Document, type ResumeToken } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { spawnServer } from './support/spawnServer.js';


let dbPath = '';
let server: Awaited<ReturnType<typeof startEmbeddedMongo>>;
let client: MongoClient;
let n = 0;
/** A fresh collection per test, so streams never see another test's writes. */
const fresh = () => client.db('cs').collection<any>(`c${++n}`);

beforeAll(async () => {
  dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-cs-'));
  server = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
  client = new MongoClient(server.uri);
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  fs.rmSync(dbPath, { recursive: true, force: true });
});

async function opened<T extends Document>(stream: ChangeStream<T>): Promise<ChangeStream<T>> {
  // Run the aggregate now, so the stream starts before the writes that follow.
  await (stream as unknown as { cursor: { cursorInit(): Promise<void> } }).cursor.cursorInit();
  return stream;
}

it('collection.watch() reports insert, update, replace and delete as MongoDB shapes them', async () => {
  const c = fresh();
  const stream = await opened(c.watch());
  await c.insertOne({ _id: 1, a: 1, nested: { x: 1 } });
  await c.updateOne({ _id: 1 }, { $set: { 'nested.x': 2, b: 'new' }, $unset: { a: '' } });
  await c.replaceOne({ _id: 1 }, { replaced: true });
  await c.deleteOne({ _id: 1 });
  const [ins, upd, rep, del] = [await stream.next(), await stream.next(), await stream.next(), await stream.next()] as Document[];
  const ns = { db: 'cs', coll: c.collectionName };
  expect(ins).toMatchObject({ operationType: 'insert', ns, documentKey: { _id: 1 }, fullDocument: { _id: 1, a: 1, nested: { x: 1 } } });
  expect(upd).toMatchObject({
    operationType: 'update',
    ns,
    documentKey: { _id: 1 },
    updateDescription: { updatedFields: { 'nested.x': 2, b: 'new' }, removedFields: ['a'], truncatedArrays: [] },
  });
  expect(upd).not.toHaveProperty('fullDocument');
  expect(rep).toMatchObject({ operationType: 'replace', fullDocument: { _id: 1, replaced: true } });
  expect(del).toMatchObject({ operationType: 'delete', documentKey: { _id: 1 } });
  for (const e of [ins, upd, rep, del]) {
    expect(typeof (e!._id as { _data: unknown })._data).toBe('string');
    expect(e!.clusterTime?.constructor.name).toBe('Timestamp');
    expect(e!.wallTime).toBeInstanceOf(Date);
  }
  // Resume tokens and cluster times increase.
  expect(ins!.clusterTime.compare(upd!.clusterTime)).toBeLessThan(0);
  await stream.close();
});

it("fullDocument: 'updateLookup' returns the current document with update events", async () => {
  const c = fresh();
  await c.insertOne({ _id: 'u', v: 1 });
  const stream = await opened(c.watch([], { fullDocument: 'updateLookup' }));
  await c.updateOne({ _id: 'u' }, { $inc: { v: 1 } });
  expect(await stream.next()).toMatchObject({ operationType: 'update', fullDocument: { _id: 'u', v: 2 } });
  await stream.close();
});

it('pre- and post-images when the collection enables them', async () => {
  const c = fresh();
  await client.db('cs').createCollection(c.collectionName, { changeStreamPreAndPostImages: { enabled: true } });
  await c.insertOne({ _id: 1, v: 1, keep: 'k' });
  const stream = await opened(c.watch([], { fullDocument: 'required', fullDocumentBeforeChange: 'required' }));
  await c.updateOne({ _id: 1 }, { $set: { v: 2 } });
  await c.deleteOne({ _id: 1 });
  expect(await stream.next()).toMatchObject({ operationType: 'update', fullDocument: { _id: 1, v: 2, keep: 'k' }, fullDocumentBeforeChange: { _id: 1, v: 1, keep: 'k' } });
  expect(await stream.next()).toMatchObject({ operationType: 'delete', fullDocumentBeforeChange: { _id: 1, v: 2, keep: 'k' } });
  await stream.close();
});

it('the rest of the pipeline filters and reshapes events', async () => {
  const c = fresh();
  const stream = await opened(c.watch([{ $match: { 'fullDocument.kind': 'keep' } }, { $project: { operationType: 1, 'fullDocument.kind': 1, extra: 'x' } }]));
  await c.insertMany([{ kind: 'drop' }, { kind: 'keep' }]);
  const e = (await stream.next()) as Document;
  expect(e.operationType).toBe('insert');
  expect(e.fullDocument).toEqual({ kind: 'keep' });
  expect(e.extra).toBe('x');
  expect(e.ns).toBeUndefined();
  await stream.close();
});

it('projecting out _id is a ChangeStreamFatalError (280) when the event is produced', async () => {
  const c = fresh();
  const stream = await opened(c.watch([{ $project: { _id: 0 } }]));
  await c.insertOne({ x: 1 });
  await expect(stream.next()).rejects.toMatchObject({ code: 280 });
  await stream.close().catch(() => undefined);
});

it('db.watch() sees every collection of the database; client.watch() every database', async () => {
  const dbStream = await opened(client.db('cs_db').watch());
  const clusterStream = await opened(client.watch());
  await client.db('cs_db').collection<{ _id: number }>('one').insertOne({ _id: 1 });
  await client.db('cs_db').collection<{ _id: number }>('two').insertOne({ _id: 2 });
  await client.db('cs_other').collection<{ _id: number }>('three').insertOne({ _id: 3 });
  const fromDb = [await dbStream.next(), await dbStream.next()].map((e) => (e as Document).ns);
  expect(fromDb).toEqual([{ db: 'cs_db', coll: 'one' }, { db: 'cs_db', coll: 'two' }]);
  const fromCluster: Document[] = [];
  while (fromCluster.length < 3) fromCluster.push(((await clusterStream.next()) as Document).ns);
  expect(fromCluster).toEqual([{ db: 'cs_db', coll: 'one' }, { db: 'cs_db', coll: 'two' }, { db: 'cs_other', coll: 'three' }]);
  await dbStream.close();
  await clusterStream.close();
});

it('dropping or renaming the watched collection ends the stream with invalidate', async () => {
  const dropped = fresh();
  await dropped.insertOne({ _id: 1 });
  const s1 = await opened(dropped.watch());
  await dropped.drop();
  expect(await s1.next()).toMatchObject({ operationType: 'drop', ns: { db: 'cs', coll: dropped.collectionName } });
  const inv = (await s1.next()) as Document;
  expect(inv.operationType).toBe('invalidate');
  expect(s1.closed).toBe(true);

  // startAfter an invalidate token opens a new stream after it.
  const s2 = await opened(dropped.watch([], { startAfter: inv._id as ResumeToken }));
  await dropped.insertOne({ _id: 'again' });
  expect(await s2.next()).toMatchObject({ operationType: 'insert', documentKey: { _id: 'again' } });
  await s2.close();

  const renamed = fresh();
  await renamed.insertOne({ _id: 1 });
  const s3 = await opened(renamed.watch());
  await renamed.rename(`${renamed.collectionName}_new`);
  expect(await s3.next()).toMatchObject({ operationType: 'rename', to: { db: 'cs', coll: `${renamed.collectionName}_new` } });
  expect(await s3.next()).toMatchObject({ operationType: 'invalidate' });
});

it('transaction events arrive together after commit, with lsid and txnNumber; aborted ones never', async () => {
  const c = fresh();
  await c.insertOne({ _id: 'seed' });
  const stream = await opened(c.watch());
  const session = client.startSession();
  await session.withTransaction(async () => {
    await c.insertOne({ _id: 't1' }, { session });
    await c.insertOne({ _id: 't2' }, { session });
  });
  const aborted = client.startSession();
  aborted.startTransaction();
  await c.insertOne({ _id: 'never' }, { session: aborted });
  await aborted.abortTransaction();
  await c.insertOne({ _id: 'after' });
  const events = [await stream.next(), await stream.next(), await stream.next()] as Document[];
  expect(events.map((e) => e.documentKey._id)).toEqual(['t1', 't2', 'after']);
  expect(events[0]!.lsid).toEqual(session.id);
  expect(events[0]!.txnNumber).toBeDefined();
  expect(events[2]!.lsid).toBeUndefined();
  await session.endSession();
  await aborted.endSession();
  await stream.close();
});

it('resumeAfter a token continues right after that event; a garbage token is refused', async () => {
  const c = fresh();
  const stream = await opened(c.watch());
  await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
  const first = (await stream.next()) as ChangeStreamDocument;
  await stream.close();
  const resumed = await opened(c.watch([], { resumeAfter: first._id }));
  expect(((await resumed.next()) as Document).documentKey).toEqual({ _id: 2 });
  expect(((await resumed.next()) as Document).documentKey).toEqual({ _id: 3 });
  await resumed.close();
  const bad = c.watch([], { resumeAfter: { _data: 'not-a-token' } });
  await expect(opened(bad)).rejects.toMatchObject({ code: 260 });
  await bad.close().catch(() => undefined);
});

it('startAtOperationTime includes events at that time', async () => {
  const c = fresh();
  const stream = await opened(c.watch());
  await c.insertOne({ _id: 'a' });
  await c.insertOne({ _id: 'b' });
  const a = (await stream.next()) as Document;
  await stream.close();
  const from = await opened(c.watch([], { startAtOperationTime: a.clusterTime }));
  expect(((await from.next()) as Document).documentKey).toEqual({ _id: 'a' });
  expect(((await from.next()) as Document).documentKey).toEqual({ _id: 'b' });
  await from.close();
});

it('getMore waits up to maxAwaitTimeMS for an event, returns as soon as one arrives, and carries a postBatchResumeToken', async () => {
  const c = fresh();
  const replies: Document[] = [];
  const watcher = new MongoClient(server.uri, { monitorCommands: true });
  watcher.on('commandSucceeded', (e) => { if (e.commandName === 'getMore' || e.commandName === 'aggregate') replies.push(e.reply as Document); });
  const stream = await opened(watcher.db('cs').collection(c.collectionName).watch([], { maxAwaitTimeMS: 600 }));
  let t = Date.now();
  expect(await stream.tryNext()).toBeNull();
  const waited = Date.now() - t;
  expect(waited).toBeGreaterThanOrEqual(500);
  expect(waited).toBeLessThan(3000);
  expect(replies.every((r) => r.cursor?.postBatchResumeToken?._data)).toBe(true);

  setTimeout(() => void c.insertOne({ _id: 'late' }), 100);
  t = Date.now();
  const e = await stream.next();
  expect((e as Document).documentKey).toEqual({ _id: 'late' });
  expect(Date.now() - t).toBeLessThan(2000);
  // An empty batch's token still advances, so a resume from it does not replay old events.
  expect(stream.resumeToken).toEqual((e as Document)._id);
  await stream.close();
  await watcher.close();
});

it('under concurrent writers every event arrives once, in commit order, across many getMore batches', async () => {
  const c = fresh();
  const stream = await opened(c.watch([], { batchSize: 7 }));
  const writers = Array.from({ length: 4 }, (_, w) => (async () => {
    for (let i = 0; i < 100; i++) await c.insertOne({ _id: `${w}-${i}`, w, i });
  })());
  const seen: Document[] = [];
  const reading = (async () => {
    while (seen.length < 400) seen.push((await stream.next()) as Document);
  })();
  await Promise.all([...writers, reading]);
  expect(new Set(seen.map((e) => e.documentKey._id)).size).toBe(400);
  for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.clusterTime.compare(seen[i]!.clusterTime)).toBeLessThan(0);
  // Each writer's own inserts arrive in the order it made them.
  for (let w = 0; w < 4; w++) {
    const mine = seen.filter((e) => e.fullDocument.w === w).map((e) => e.fullDocument.i);
    expect(mine).toEqual(Array.from({ length: 100 }, (_, i) => i));
  }
  await stream.close();
});

it('the resume token advances past filtered-out events, so resuming does not rescan them', async () => {
  const c = fresh();
  const stream = await opened(c.watch([{ $match: { 'fullDocument.wanted': true } }], { maxAwaitTimeMS: 100 }));
  const before = stream.resumeToken;
  await c.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, wanted: false })));
  expect(await stream.tryNext()).toBeNull();
  const after = stream.resumeToken;
  expect(after).not.toEqual(before);
  await stream.close();
  await c.insertOne({ _id: 'yes', wanted: true });
  const resumed = await opened(c.watch([{ $match: { 'fullDocument.wanted': true } }], { resumeAfter: after }));
  expect(((await resumed.next()) as Document).documentKey).toEqual({ _id: 'yes' });
  await resumed.close();
});

it('a token older than the retained oplog is refused with ChangeStreamHistoryLost (286)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-cs-retain-'));
  const s = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1', oplogRetain: 10 });
  const cl = new MongoClient(s.uri);
  const coll = cl.db('h').collection<{ _id: number }>('c');
  const stream = await opened(coll.watch());
  await coll.insertOne({ _id: 0 });
  const token = ((await stream.next()) as Document)._id;
  await stream.close();
  for (let i = 1; i <= 30; i++) await coll.insertOne({ _id: i });
  const late = coll.watch([], { resumeAfter: token });
  await expect(opened(late)).rejects.toMatchObject({ code: 286, codeName: 'ChangeStreamHistoryLost' });
  await late.close().catch(() => undefined);
  await cl.close();
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('across a server restart', () => {
  it('after kill -9, a token taken before the crash resumes with every acknowledged event after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-cs-kill-'));
    const child = await spawnServer(dir);
    const cl = new MongoClient(child.uri, { retryWrites: false });
    const coll = cl.db('k').collection<{ _id: number }>('events');
    const stream = await opened(coll.watch());
    await coll.insertOne({ _id: 0 });
    const token = ((await stream.next()) as Document)._id;
    const acked: number[] = [];
    for (let i = 1; i <= 50; i++) {
      await coll.insertOne({ _id: i });
      acked.push(i);
    }
    await child.kill('SIGKILL');
    await stream.close().catch(() => undefined);
    await cl.close(true).catch(() => undefined);

    const s = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1' });
    const c2 = new MongoClient(s.uri);
    const resumed = await opened(c2.db('k').collection('events').watch([], { resumeAfter: token }));
    const ids: number[] = [];
    while (ids.length < acked.length) ids.push(((await resumed.next()) as Document).documentKey._id);
    expect(ids).toEqual(acked);
    await resumed.close();
    await c2.close();
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a resume token from before the restart still works and no event is lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-cs-restart-'));
    let s = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1' });
    let cl = new MongoClient(s.uri);
    const coll = () => cl.db('r').collection<{ _id: number }>('events');
    const stream = await opened(coll().watch());
    await coll().insertOne({ _id: 1 });
    const token = ((await stream.next()) as Document)._id;
    await coll().insertOne({ _id: 2 }); // written before the restart, not yet read
    await stream.close();
    await cl.close();
    await s.close();

    s = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1' });
    cl = new MongoClient(s.uri);
    await coll().insertOne({ _id: 3 });
    const resumed = await opened(coll().watch([], { resumeAfter: token }));
    expect([await resumed.next(), await resumed.next()].map((e) => (e as Document).documentKey._id)).toEqual([2, 3]);
    await resumed.close();
    await cl.close();
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the driver's automatic resume picks up after the server comes back on the same port", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-cs-autoresume-'));
    let s = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1' });
    const port = s.port;
    const cl = new MongoClient(s.uri, { serverSelectionTimeoutMS: 20_000, heartbeatFrequencyMS: 500 });
    const coll = cl.db('r').collection<{ _id: number }>('auto');
    const stream = await opened(coll.watch([], { maxAwaitTimeMS: 200 }));
    await coll.insertOne({ _id: 1 });
    expect(((await stream.next()) as Document).documentKey).toEqual({ _id: 1 });
    const writer = new MongoClient(s.uri);
    await writer.db('r').collection<{ _id: number }>('auto').insertOne({ _id: 2 });
    await writer.close();
    await s.close();
    s = await startEmbeddedMongo({ dbPath: dir, port, host: '127.0.0.1' });
    const writer2 = new MongoClient(s.uri);
    await writer2.db('r').collection<{ _id: number }>('auto').insertOne({ _id: 3 });
    await writer2.close();
    expect([await stream.next(), await stream.next()].map((e) => (e as Document).documentKey._id)).toEqual([2, 3]);
    await stream.close();
    await cl.close();
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
