// The server through the official driver, as an application uses it.
import net from 'node:net';
import { Decimal128, Long, ObjectId, serialize, deserialize, type Document } from 'bson';
import { MongoServerError, type MongoClient } from 'mongodb';
import { startTestServer, type TestServer } from './testSupport.js';
import { crc32c } from './wire/crc32c.js';

let t: TestServer;
let client: MongoClient;
beforeAll(async () => {
  t = await startTestServer({ ttlMonitorIntervalMS: 200 });
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
  it('answers unknown commands with CommandNotFound and keeps the connection', async () => {
    await expect(db().command({ atlasVersion: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    expect((await db().command({ ping: 1 })).ok).toBe(1);
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

describe('indexes', () => {
  it('rejects duplicates with MongoDB error shape, also inside one batch', async () => {
    const c = db().collection('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x' });
    const e = (await c.insertOne({ email: 'a@x' }).catch((x) => x)) as MongoServerError;
    expect(e.code).toBe(11000);
    expect(e.message).toBe('E11000 duplicate key error collection: test.uniq index: email_1 dup key: { email: "a@x" }');
    expect(e.keyPattern).toEqual({ email: 1 });
    expect(e.keyValue).toEqual({ email: 'a@x' });
    const batch = await c.insertMany([{ email: 'b@x' }, { email: 'b@x' }]).catch((x) => x);
    expect(batch.code).toBe(11000);
    expect(await c.countDocuments({ email: 'b@x' })).toBe(1);
    await expect(c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({ code: 11000 });
  });

  it('uses an index for equality, $in, ranges and sort (explain)', async () => {
    const c = db().collection('ix');
    await c.insertMany(Array.from({ length: 500 }, (_, i) => ({ k: i, g: i % 10, s: 'v' + i })));
    await c.createIndex({ g: 1, k: -1 });
    await c.createIndex({ s: 1 });
    const ex = (f: Document, sort?: Document) => db().command({ explain: { find: 'ix', filter: f, sort }, verbosity: 'executionStats' });
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

  it('expires documents from TTL indexes in the background', async () => {
    const c = db().collection('ttl');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    await c.insertMany([{ at: new Date(Date.now() - 5000) }, { at: new Date(Date.now() + 60_000) }, { at: 'not a date' }]);
    for (let i = 0; i < 50 && (await c.countDocuments()) > 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await c.countDocuments()).toBe(2);
  });
});

describe('transactions', () => {
  it('commits atomically and aborts without trace', async () => {
    const c = db().collection('tx');
    await c.insertOne({ _id: 'acct', balance: 10 });
    const s = client.startSession();
    await s.withTransaction(async () => {
      await c.updateOne({ _id: 'acct' }, { $inc: { balance: -5 } }, { session: s });
      await c.insertOne({ _id: 'log1' }, { session: s });
      expect(await c.findOne({ _id: 'log1' })).toBeNull(); // not visible outside yet
      expect(await c.findOne({ _id: 'log1' }, { session: s })).toEqual({ _id: 'log1' });
    });
    expect(await c.findOne({ _id: 'acct' })).toEqual({ _id: 'acct', balance: 5 });
    s.startTransaction();
    await c.insertOne({ _id: 'log2' }, { session: s });
    await s.abortTransaction();
    await s.endSession();
    expect(await c.findOne({ _id: 'log2' })).toBeNull();
  });

  it('makes concurrent writers of one document conflict and withTransaction retry', async () => {
    const c = db().collection('txc');
    await c.insertOne({ _id: 1, n: 0 });
    const s1 = client.startSession();
    const s2 = client.startSession();
    s1.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s1 });
    s2.startTransaction();
    const err = (await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s2 }).catch((e) => e)) as MongoServerError;
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await s2.abortTransaction();
    // A write outside any transaction waits for the transaction to finish.
    const outside = c.updateOne({ _id: 1 }, { $inc: { n: 10 } });
    await new Promise((r) => setTimeout(r, 50));
    await s1.commitTransaction();
    await outside;
    expect((await c.findOne({ _id: 1 }))!.n).toBe(11);
    // withTransaction retries through conflicts.
    let tries = 0;
    await Promise.all(
      [s1, s2].map((s) =>
        s.withTransaction(async () => {
          tries++;
          const d = await c.findOne({ _id: 1 }, { session: s });
          await c.updateOne({ _id: 1 }, { $set: { n: d!.n + 1 } }, { session: s });
        }),
      ),
    );
    expect(tries).toBeGreaterThanOrEqual(2);
    expect((await c.findOne({ _id: 1 }))!.n).toBeGreaterThanOrEqual(12);
    await s1.endSession();
    await s2.endSession();
  });
});

describe('snapshot isolation', () => {
  it('reads as of the transaction start and conflicts on documents changed since', async () => {
    const c = db().collection('snap');
    await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }]);
    const s = client.startSession();
    s.startTransaction();
    expect(await c.countDocuments({}, { session: s })).toBe(2); // snapshot taken
    await c.insertOne({ _id: 3, v: 3 });
    await c.updateOne({ _id: 1 }, { $set: { v: 10 } });
    await c.deleteOne({ _id: 2 });
    expect((await c.find({}, { session: s }).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([[1, 1], [2, 2]]);
    const err = (await c.updateOne({ _id: 1 }, { $inc: { v: 1 } }, { session: s }).catch((e) => e)) as MongoServerError;
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await s.abortTransaction().catch(() => {});
    await s.endSession();
    expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([[1, 10], [3, 3]]);
  });
});

describe('wire protocol edge cases', () => {
  function rawRequest(port: number, msg: Buffer): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      sock.on('data', (d) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length >= 4 && all.length >= all.readInt32LE(0)) {
          sock.destroy();
          resolve(all);
        }
      });
      sock.on('close', () => resolve(chunks.length ? Buffer.concat(chunks) : null));
      sock.on('error', () => resolve(null));
      sock.write(msg);
      setTimeout(() => {
        sock.destroy();
        resolve(chunks.length ? Buffer.concat(chunks) : null);
      }, 1000);
    });
  }
  function opMsg(doc: Document, flags = 0, checksum = false): Buffer {
    const body = Buffer.from(serialize(doc));
    const len = 21 + body.length + (checksum ? 4 : 0);
    const b = Buffer.alloc(len);
    b.writeInt32LE(len, 0);
    b.writeInt32LE(7, 4);
    b.writeInt32LE(2013, 12);
    b.writeUInt32LE(flags | (checksum ? 1 : 0), 16);
    b[20] = 0;
    body.copy(b, 21);
    if (checksum) b.writeUInt32LE(crc32c(b, 0, len - 4), len - 4);
    return b;
  }
  const replyDoc = (b: Buffer) => deserialize(b.subarray(21));

  it('verifies OP_MSG checksums', async () => {
    const ok = await rawRequest(t.server.port, opMsg({ ping: 1, $db: 'admin' }, 0, true));
    expect(replyDoc(ok!).ok).toBe(1);
    const bad = opMsg({ ping: 1, $db: 'admin' }, 0, true);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const r = await rawRequest(t.server.port, bad);
    expect(replyDoc(r!).ok).toBe(0);
  });

  it('sends nothing back for moreToCome', async () => {
    const r = await rawRequest(t.server.port, opMsg({ insert: 'mtc', documents: [{ a: 1 }], $db: 'test', writeConcern: { w: 0 } }, 2));
    expect(r).toBeNull();
    expect(await db().collection('mtc').countDocuments()).toBe(1);
  });

  it('survives garbage, invalid BSON and oversized frames', async () => {
    const big = Buffer.alloc(16);
    big.writeInt32LE(60_000_000, 0);
    expect(await rawRequest(t.server.port, big)).toBeNull();
    const invalid = opMsg({ ping: 1, $db: 'admin' });
    invalid.writeInt32LE(9999, 21); // corrupt the document length
    const r = await rawRequest(t.server.port, invalid);
    expect(r === null || replyDoc(r).ok === 0).toBe(true);
    const compressed = opMsg({ ping: 1 });
    compressed.writeInt32LE(2012, 12);
    const rc = await rawRequest(t.server.port, compressed);
    expect(replyDoc(rc!).ok).toBe(0);
    expect((await db().command({ ping: 1 })).ok).toBe(1);
  });

  it('applies a retried write (same lsid and txnNumber) once', async () => {
    const lsid = { id: new (await import('bson')).UUID() };
    const cmd = { insert: 'retry', documents: [{ a: 1 }], lsid, txnNumber: Long.fromNumber(1), $db: 'test' };
    const r1 = replyDoc((await rawRequest(t.server.port, opMsg(cmd)))!);
    const r2 = replyDoc((await rawRequest(t.server.port, opMsg(cmd)))!);
    expect([r1.n, r2.n]).toEqual([1, 1]);
    expect(await db().collection('retry').countDocuments()).toBe(1);
    await rawRequest(t.server.port, opMsg({ ...cmd, txnNumber: Long.fromNumber(2) }));
    expect(await db().collection('retry').countDocuments()).toBe(2);
  });

  it('rejects documents over 16 MiB and nesting over 100 levels', async () => {
    const c = db().collection('limits');
    await expect(c.insertOne({ big: 'x'.repeat(16 * 1024 * 1024) })).rejects.toBeTruthy();
    let deep: Document = { leaf: 1 };
    for (let i = 0; i < 120; i++) deep = { d: deep };
    await expect(c.insertOne(deep)).rejects.toBeTruthy();
    expect(await c.countDocuments()).toBe(0);
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

describe('query planner', () => {
  it('sorts without an index, with and without a limit (stable on ties)', async () => {
    const c = db().collection('sorts');
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
    const c = db().collection('orq');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, a: i % 30, b: i })));
    await c.createIndex({ a: 1 });
    const filter = { $or: [{ a: 3 }, { _id: 250 }, { a: 4, b: { $gt: 100 } }] };
    const ex = await db().command({ explain: { find: 'orq', filter }, verbosity: 'executionStats' });
    expect(ex.executionStats.totalDocsExamined).toBe(21);
    const ids = (await c.find(filter).toArray()).map((d) => d._id).sort((x, y) => x - y);
    expect(ids).toEqual([3, 33, 63, 93, 123, 124, 153, 154, 183, 184, 213, 214, 243, 244, 250, 273, 274].sort((x, y) => x - y));
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
