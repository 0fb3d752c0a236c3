// Unique indexes reject duplicates (single writes, inside a batch, through updates, and when the
// index is built over existing duplicates) with MongoDB's 11000 error; TTL indexes delete expired
// documents in the background; the query planner uses indexes (explain) and sorts without them.
import type { Document } from 'bson';
import { MongoBulkWriteError, MongoServerError, type MongoClient } from 'mongodb';
import { tempServer } from './support/tempServer.js';

let ctx: Awaited<ReturnType<typeof tempServer>>;
let client: MongoClient;

beforeAll(async () => {
  // A short TTL monitor interval so expiry is observable within the test.
  ctx = await tempServer('indexes', { ttlMonitorIntervalMS: 200 });
  client = ctx.client;
});
afterAll(async () => ctx?.stop());

describe('unique index', () => {
  const users = () => client.db('idx').collection<{ _id: number; email?: string; org?: string; n?: number }>('users');

  beforeAll(async () => {
    await users().createIndex({ email: 1 }, { unique: true });
    await users().insertOne({ _id: 1, email: 'a@x' });
  });

  it('rejects a duplicate insert with 11000, keyPattern and keyValue', async () => {
    const err = await users().insertOne({ _id: 2, email: 'a@x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
    expect((err as MongoServerError).message).toBe('E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "a@x" }');
    expect(await users().countDocuments()).toBe(1);
  });

  it('rejects a duplicate inside one batch: ordered stops there, unordered inserts the rest', async () => {
    const ordered = await users().insertMany([{ _id: 10, email: 'b@x' }, { _id: 11, email: 'b@x' }, { _id: 12, email: 'c@x' }]).catch((e: unknown) => e);
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect((ordered as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    expect((await users().find({ _id: { $in: [10, 11, 12] } }).toArray()).map((d) => d._id)).toEqual([10]);

    const unordered = await users().insertMany([{ _id: 20, email: 'd@x' }, { _id: 21, email: 'd@x' }, { _id: 22, email: 'e@x' }], { ordered: false }).catch((e: unknown) => e);
    expect(unordered).toBeInstanceOf(MongoBulkWriteError);
    expect((await users().find({ _id: { $in: [20, 21, 22] } }, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual([20, 22]);
  });

  it('rejects an update that would create a duplicate and leaves the document as it was', async () => {
    await users().insertOne({ _id: 30, email: 'f@x' });
    const err = await users().updateOne({ _id: 30 }, { $set: { email: 'a@x' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000 });
    expect(await users().findOne({ _id: 30 })).toEqual({ _id: 30, email: 'f@x' });
  });

  it('a duplicate _id is rejected too', async () => {
    await expect(users().insertOne({ _id: 1, email: 'other@x' })).rejects.toMatchObject({ code: 11000 });
  });

  it('building a unique index over existing duplicates fails and creates no index', async () => {
    const c = client.db('idx').collection('dups');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(c.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('a compound unique index compares the whole key', async () => {
    const c = client.db('idx').collection('members');
    await c.createIndex({ org: 1, email: 1 }, { unique: true });
    await c.insertMany([{ org: 'o1', email: 'a' }, { org: 'o2', email: 'a' }]);
    await expect(c.insertOne({ org: 'o1', email: 'a' })).rejects.toMatchObject({ code: 11000, keyValue: { org: 'o1', email: 'a' } });
  });
});

describe('TTL index', () => {
  it('deletes expired documents in the background and keeps the others', async () => {
    const sessions = client.db('idx').collection<{ _id: string; at?: Date; note?: string }>('sessions');
    await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const now = Date.now();
    await sessions.insertMany([
      { _id: 'old', at: new Date(now - 60_000) },
      { _id: 'fresh', at: new Date(now + 3_600_000) },
      { _id: 'no-date', note: 'a document without the field never expires' },
      { _id: 'not-a-date', at: 'yesterday' as unknown as Date },
    ]);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await sessions.findOne({ _id: 'old' }))) await new Promise((r) => setTimeout(r, 100));
    expect((await sessions.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(['fresh', 'no-date', 'not-a-date']);
  });

  it('expires a document once its time passes, not before', async () => {
    const tokens = client.db('idx').collection<{ _id: string; at: Date }>('tokens');
    await tokens.createIndex({ at: 1 }, { expireAfterSeconds: 2 });
    await tokens.insertOne({ _id: 't', at: new Date() });
    await new Promise((r) => setTimeout(r, 800));
    expect(await tokens.findOne({ _id: 't' })).not.toBeNull();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await tokens.findOne({ _id: 't' }))) await new Promise((r) => setTimeout(r, 100));
    expect(await tokens.findOne({ _id: 't' })).toBeNull();
  });
});

describe('query planner', () => {
  it('uses an index for equality, $in, ranges and sort (explain)', async () => {
    const c = client.db('idx').collection('ix');
    await c.insertMany(Array.from({ length: 500 }, (_, i) => ({ k: i, g: i % 10, s: 'v' + i })));
    await c.createIndex({ g: 1, k: -1 });
    await c.createIndex({ s: 1 });
    const ex = (f: Document, sort?: Document) => client.db('idx').command({ explain: { find: 'ix', filter: f, sort }, verbosity: 'executionStats' });
    const eq = await ex({ s: 'v42' });
    expect(eq.queryPlanner.winningPlan.inputStage.indexName).toBe('s_1');
    expect(eq.executionStats.totalDocsExamined).toBe(1);
    const range = await ex({ g: 3, k: { $gte: 100, $lt: 200 } });
    expect(range.executionStats.totalDocsExamined).toBe(10);
    const inq = await ex({ g: { $in: [1, 2] } });
    expect(inq.executionStats.totalDocsExamined).toBe(100);
    expect((await c.find({ g: 3, k: { $gte: 100, $lt: 200 } }).toArray()).map((d) => d.k).sort((a, b) => a - b)).toEqual([103, 113, 123, 133, 143, 153, 163, 173, 183, 193]);
    const sorted = await c.find({}).sort({ g: -1, k: 1 }).limit(3).toArray();
    expect(sorted.map((d) => [d.g, d.k])).toEqual([[9, 9], [9, 19], [9, 29]]);
    expect((await ex({}, { g: 1, k: -1 })).queryPlanner.winningPlan.inputStage.indexName).toBe('g_1_k_-1');
  });

  it('sorts without an index, with and without a limit (stable on ties)', async () => {
    const c = client.db('idx').collection<{ _id: number; g: number; tags: number[] }>('sorts');
    await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i, g: (i * 37) % 10, tags: [i % 7, 100 - (i % 5)] })));
    const all = await c.find({}).sort({ g: -1, _id: 1 }).toArray();
    const top = await c.find({}).sort({ g: -1, _id: 1 }).skip(5).limit(7).toArray();
    expect(top).toEqual(all.slice(5, 12));
    expect(all[0]).toMatchObject({ g: 9 });
    // Arrays sort by their smallest element ascending, largest descending.
    const byTagAsc = await c.find({}).sort({ tags: 1, _id: 1 }).limit(1).toArray();
    expect(byTagAsc[0]!.tags).toContain(0);
    const byTagDesc = await c.find({}).sort({ tags: -1, _id: 1 }).limit(1).toArray();
    expect(byTagDesc[0]!.tags).toContain(100);
  });

  it('answers a top-level $or from the indexes of its branches', async () => {
    const c = client.db('idx').collection<{ _id: number; a: number; b: number }>('orq');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, a: i % 30, b: i })));
    await c.createIndex({ a: 1 });
    const filter = { $or: [{ a: 3 }, { _id: 250 }, { a: 4, b: { $gt: 100 } }] };
    const ex = await client.db('idx').command({ explain: { find: 'orq', filter }, verbosity: 'executionStats' });
    expect(ex.executionStats.totalDocsExamined).toBe(21);
    const ids = (await c.find(filter).toArray()).map((d) => d._id).sort((x, y) => x - y);
    expect(ids).toEqual([3, 33, 63, 93, 123, 124, 153, 154, 183, 184, 213, 214, 243, 244, 250, 273, 274].sort((x, y) => x - y));
  });
});
