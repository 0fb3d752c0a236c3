// The server through the official driver, as an application uses it: handshake, CRUD, cursors,
// aggregation, BSON types, int64/Decimal128 arithmetic, validators and views. Indexes and the
// planner are in indexes.test.ts, transactions in transactions.test.ts, the raw wire protocol in
// wireProtocol.test.ts and badInput.test.ts.
import { Decimal128, Long, ObjectId, type Document } from 'bson';
import { MongoServerError, type MongoClient } from 'mongodb';
import { tempServer } from './support/tempServer.js';

let t: Awaited<ReturnType<typeof tempServer>>;
let client: MongoClient;
beforeAll(async () => {
  t = await tempServer('server');
  client = t.client;
});
afterAll(async () => {
  await t.stop();
});

const db = () => {
  const d = client.db('test');
  // Test collections hold any _id type.
  return { collection: (name: string) => d.collection<any>(name), command: (c: Document) => d.command(c), admin: () => d.admin() };
};

describe('handshake', () => {
  it('reports a one-member replica set primary', async () => {
    const hello = await db().admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBe('rs0');
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.compression).toBeUndefined();
  });
});

describe('CRUD', () => {
  it('inserts with _id first and finds with sort, skip, limit, projection', async () => {
    const c = db().collection('crud');
    await c.insertMany([{ b: 2, _id: 'x' }, { a: 1 }, { a: 3 }, { a: 2 }]);
    const x = await c.findOne({ _id: 'x' });
    expect(Object.keys(x!)).toEqual(['_id', 'b']);
    const docs = await c.find({ a: { $exists: true } }, { projection: { _id: 0 } }).sort({ a: -1 }).skip(1).limit(2).toArray();
    expect(docs).toEqual([{ a: 2 }, { a: 1 }]);
  });

  it('pages through a cursor with getMore and kills cursors', async () => {
    const c = db().collection('cursor');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await c.find({}, { batchSize: 10 }).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const cur = c.find({}, { batchSize: 5 });
    await cur.next();
    await cur.close();
  });

  it('updates with operators, arrayFilters, upsert and $setOnInsert', async () => {
    const c = db().collection('upd');
    await c.insertOne({ _id: 1, arr: [1, 5, 9], n: 1 });
    await c.updateOne({ _id: 1 }, { $inc: { n: 2 }, $set: { 'arr.$[big]': 0 } }, { arrayFilters: [{ big: { $gt: 4 } }] });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, arr: [1, 0, 0], n: 3 });
    const r = await c.updateOne({ k: 'new' }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    expect(await c.findOne({ _id: r.upsertedId! })).toMatchObject({ k: 'new', v: 1, created: true });
    await c.updateOne({ k: 'new' }, { $set: { v: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(await c.findOne({ k: 'new' })).toMatchObject({ v: 2, created: true });
    const m = await c.updateMany({}, [{ $set: { total: { $add: ['$n', 1] } } }]);
    expect(m.matchedCount).toBe(2);
    expect((await c.findOne({ _id: 1 }))!.total).toBe(4);
    await c.replaceOne({ _id: 1 }, { replaced: true });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, replaced: true });
  });

  it('findOneAndUpdate / findOneAndDelete honour sort, upsert, returnDocument and projection', async () => {
    const c = db().collection('fam');
    await c.insertMany([{ q: 1, v: 1 }, { q: 1, v: 2 }]);
    const after = await c.findOneAndUpdate({ q: 1 }, { $set: { hit: true } }, { sort: { v: -1 }, returnDocument: 'after', projection: { _id: 0 } });
    expect(after).toEqual({ q: 1, v: 2, hit: true });
    const up = await c.findOneAndUpdate({ q: 9 }, { $set: { v: 9 } }, { upsert: true, returnDocument: 'after' });
    expect(up).toMatchObject({ q: 9, v: 9 });
    const del = await c.findOneAndDelete({ q: 1 }, { sort: { v: 1 } });
    expect(del).toMatchObject({ v: 1 });
  });

  it('aggregates with $group, $lookup and $out', async () => {
    const orders = db().collection('orders');
    const users = db().collection('aggusers');
    await users.insertMany([{ _id: 'u1', name: 'Ann' }, { _id: 'u2', name: 'Bo' }]);
    await orders.insertMany([{ user: 'u1', total: 5 }, { user: 'u1', total: 7 }, { user: 'u2', total: 1 }]);
    const sums = await orders.aggregate([{ $group: { _id: '$user', sum: { $sum: '$total' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(sums).toEqual([{ _id: 'u1', sum: 12 }, { _id: 'u2', sum: 1 }]);
    const joined = await orders.aggregate([{ $match: { user: 'u2' } }, { $lookup: { from: 'aggusers', localField: 'user', foreignField: '_id', as: 'u' } }, { $project: { _id: 0, name: { $first: '$u.name' } } }]).toArray();
    expect(joined).toEqual([{ name: 'Bo' }]);
    await orders.aggregate([{ $group: { _id: '$user', n: { $sum: 1 } } }, { $out: 'ordercounts' }]).toArray();
    expect(await db().collection('ordercounts').countDocuments()).toBe(2);
    expect(await orders.countDocuments({ total: { $gt: 2 } })).toBe(2);
  });

  it('reports ordered and unordered write errors with their index', async () => {
    const c = db().collection('werr');
    await c.insertOne({ _id: 1 });
    const ordered = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }], { ordered: true }).catch((e) => e);
    expect(ordered.writeErrors?.[0]?.index ?? ordered.writeErrors?.index).toBe(1);
    expect(await c.countDocuments()).toBe(2);
    const unordered = await c.insertMany([{ _id: 4 }, { _id: 1 }, { _id: 5 }], { ordered: false }).catch((e) => e);
    expect(unordered.code).toBe(11000);
    expect(await c.countDocuments()).toBe(4);
  });
});

describe('BSON fidelity', () => {
  it('keeps ObjectId, Date, Long, Decimal128 and binary values', async () => {
    const c = db().collection('types');
    const id = new ObjectId();
    const when = new Date('2024-01-02T03:04:05Z');
    await c.insertOne({ _id: id, when, big: Long.fromString('9007199254740993'), dec: Decimal128.fromString('1.10') });
    const d = await c.findOne({ _id: id }, { promoteLongs: false });
    expect(d!.when).toEqual(when);
    expect(String(d!.big)).toBe('9007199254740993');
    expect(String(d!.dec)).toBe('1.10');
    const [s] = await c.aggregate([{ $project: { s: { $toString: '$_id' }, t: { $type: '$_id' } } }]).toArray();
    expect(s).toMatchObject({ s: id.toHexString(), t: 'objectId' });
    expect(await c.countDocuments({ _id: { $type: 'objectId' } })).toBe(1);
  });
});

describe('int64 and Decimal128', () => {
  it('compare, sort, sum and $inc as numbers while keeping their types', async () => {
    const c = db().collection('nums');
    await c.insertMany([
      { _id: 1, n: Long.fromNumber(10), d: Decimal128.fromString('2.5') },
      { _id: 2, n: 9, d: Decimal128.fromString('10') },
      { _id: 3, n: Long.fromNumber(100), d: 1 },
    ]);
    expect((await c.find({ n: { $gt: 9 } }).sort({ n: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3]);
    expect((await c.find({ d: { $gte: 2 } }).sort({ d: -1 }).toArray()).map((d) => d._id)).toEqual([2, 1]);
    const [sum] = await c.aggregate([{ $group: { _id: null, n: { $sum: '$n' }, d: { $sum: '$d' } } }]).toArray();
    expect(sum).toMatchObject({ n: 119, d: 13.5 });
    await c.updateOne({ _id: 1 }, { $inc: { n: 5 } });
    const raw = await c.findOne({ _id: 1 }, { promoteLongs: false, promoteValues: false });
    expect(raw!.n._bsontype).toBe('Long');
    expect(Number(raw!.n)).toBe(15);
    expect(await c.countDocuments({ n: { $type: 'long' } })).toBe(2);
    expect(await c.countDocuments({ d: { $type: 'decimal' } })).toBe(2);
  });
});

describe('validation', () => {
  it('enforces a collection validator unless bypassDocumentValidation', async () => {
    await db().command({ create: 'validated', validator: { qty: { $gte: 0 } } });
    const c = db().collection('validated');
    await c.insertOne({ _id: 1, qty: 1 });
    const e = (await c.insertOne({ _id: 2, qty: -1 }).catch((x) => x)) as MongoServerError;
    expect(e.code).toBe(121);
    await expect(c.updateOne({ _id: 1 }, { $set: { qty: -5 } })).rejects.toMatchObject({ code: 121 });
    await c.insertOne({ _id: 3, qty: -1 }, { bypassDocumentValidation: true });
    expect(await c.countDocuments()).toBe(2);
  });
});

describe('views', () => {
  it('reads through the pipeline and refuses writes', async () => {
    const base = db().collection('vbase');
    await base.insertMany([{ _id: 1, k: 'a', n: 1 }, { _id: 2, k: 'b', n: 2 }, { _id: 3, k: 'a', n: 3 }]);
    await db().command({ create: 'vview', viewOn: 'vbase', pipeline: [{ $match: { k: 'a' } }, { $project: { n: 1 } }] });
    const v = db().collection('vview');
    expect(await v.find({}).sort({ n: -1 }).toArray()).toEqual([{ _id: 3, n: 3 }, { _id: 1, n: 1 }]);
    expect(await v.estimatedDocumentCount()).toBe(2);
    expect(await v.countDocuments({ n: { $gt: 1 } })).toBe(1);
    await expect(v.insertOne({ n: 5 })).rejects.toMatchObject({ code: 166 });
    const infos = await client.db('test').listCollections({ name: 'vview' }).toArray();
    expect(infos[0]).toMatchObject({ type: 'view', options: { viewOn: 'vbase' } });
  });
});
