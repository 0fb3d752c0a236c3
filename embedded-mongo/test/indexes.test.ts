// Unique indexes reject duplicates (single writes, inside a batch, through updates, and when the
// index is built over existing duplicates) with MongoDB's 11000 error; TTL indexes delete expired
// documents in the background.
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
