// Transactions as domain code uses them: all-or-nothing visibility, WriteConflict (112) with the
// TransientTransactionError label for concurrent transactions on one document, the driver's
// withTransaction retrying through such a conflict, a plain write waiting for the transaction that
// holds its document, and reads from the snapshot taken when the transaction started.
import { MongoServerError, type MongoClient } from 'mongodb';
import { tempServer } from './support/tempServer.js';

let ctx: Awaited<ReturnType<typeof tempServer>>;
let client: MongoClient;

beforeAll(async () => {
  ctx = await tempServer('txn');
  client = ctx.client;
});
afterAll(async () => ctx?.stop());

const coll = () => client.db('txn').collection<{ _id: string; n?: number; tag?: string }>('accounts');

it('writes become visible together at commit and are invisible before', async () => {
  await coll().insertOne({ _id: 'a', n: 0 });
  const session = client.startSession();
  session.startTransaction();
  await coll().updateOne({ _id: 'a' }, { $inc: { n: 5 } }, { session });
  await coll().insertOne({ _id: 'b', n: 1 }, { session });
  // Outside the transaction nothing has changed yet.
  expect(await coll().findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 0 });
  expect(await coll().findOne({ _id: 'b' })).toBeNull();
  // Inside it, its own writes are visible.
  expect(await coll().findOne({ _id: 'b' }, { session })).toEqual({ _id: 'b', n: 1 });
  await session.commitTransaction();
  await session.endSession();
  expect(await coll().find({ _id: { $in: ['a', 'b'] } }, { sort: { _id: 1 } }).toArray()).toEqual([
    { _id: 'a', n: 5 },
    { _id: 'b', n: 1 },
  ]);
});

it('abort discards every write of the transaction', async () => {
  const session = client.startSession();
  session.startTransaction();
  await coll().insertOne({ _id: 'gone', n: 1 }, { session });
  await coll().updateOne({ _id: 'a' }, { $set: { tag: 'aborted' } }, { session });
  await session.abortTransaction();
  await session.endSession();
  expect(await coll().findOne({ _id: 'gone' })).toBeNull();
  expect((await coll().findOne({ _id: 'a' }))?.tag).toBeUndefined();
});

it('a second transaction writing the same document gets WriteConflict (112) with TransientTransactionError', async () => {
  await coll().insertOne({ _id: 'hot', n: 0 });
  const s1 = client.startSession();
  const s2 = client.startSession();
  s1.startTransaction();
  s2.startTransaction();
  await coll().updateOne({ _id: 'hot' }, { $inc: { n: 1 } }, { session: s1 });
  const err = await coll().updateOne({ _id: 'hot' }, { $inc: { n: 10 } }, { session: s2 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MongoServerError);
  expect((err as MongoServerError).code).toBe(112);
  expect((err as MongoServerError).codeName).toBe('WriteConflict');
  expect((err as MongoServerError).hasErrorLabel('TransientTransactionError')).toBe(true);
  await s2.abortTransaction().catch(() => undefined);
  await s1.commitTransaction();
  await s1.endSession();
  await s2.endSession();
  expect((await coll().findOne({ _id: 'hot' }))?.n).toBe(1);
});

it('withTransaction retries through a write conflict and both increments land', async () => {
  await coll().insertOne({ _id: 'retry', n: 0 });
  const s1 = client.startSession();
  const s2 = client.startSession();
  let attempts = 0;
  let releaseFirst!: () => void;
  const firstHolds = new Promise<void>((r) => (releaseFirst = r));
  // s1 holds the document in an open transaction while s2's withTransaction runs into it.
  s1.startTransaction();
  await coll().updateOne({ _id: 'retry' }, { $inc: { n: 1 } }, { session: s1 });
  const second = s2.withTransaction(async () => {
    attempts++;
    if (attempts === 2) releaseFirst();
    await coll().updateOne({ _id: 'retry' }, { $inc: { n: 10 } }, { session: s2 });
  });
  // Let the first attempt fail, then commit s1 so a retry can succeed.
  await Promise.race([firstHolds, new Promise((r) => setTimeout(r, 2000))]);
  await s1.commitTransaction();
  await second;
  await s1.endSession();
  await s2.endSession();
  expect(attempts).toBeGreaterThanOrEqual(2);
  expect((await coll().findOne({ _id: 'retry' }))?.n).toBe(11);
});

it('many concurrent withTransaction increments on one document all apply exactly once', async () => {
  await coll().insertOne({ _id: 'counter', n: 0 });
  const workers = Array.from({ length: 8 }, async () => {
    const s = client.startSession();
    try {
      await s.withTransaction(async () => {
        await coll().updateOne({ _id: 'counter' }, { $inc: { n: 1 } }, { session: s });
        await coll().insertOne({ _id: `log-${Math.random()}`, tag: 'counter' }, { session: s });
      });
    } finally {
      await s.endSession();
    }
  });
  await Promise.all(workers);
  expect((await coll().findOne({ _id: 'counter' }))?.n).toBe(8);
  expect(await coll().countDocuments({ tag: 'counter' })).toBe(8);
});

it('a write outside any transaction to a document a transaction holds waits until it commits', async () => {
  await coll().insertOne({ _id: 'held', n: 0 });
  const s1 = client.startSession();
  s1.startTransaction();
  await coll().updateOne({ _id: 'held' }, { $inc: { n: 1 } }, { session: s1 });
  let outsideDone = false;
  const outside = coll().updateOne({ _id: 'held' }, { $inc: { n: 10 } }).then(() => (outsideDone = true));
  // The transaction still holds the document: the plain write has not completed.
  expect(await coll().findOne({ _id: 'held' })).toEqual({ _id: 'held', n: 0 });
  expect(outsideDone).toBe(false);
  await s1.commitTransaction();
  await outside;
  await s1.endSession();
  expect((await coll().findOne({ _id: 'held' }))?.n).toBe(11);
});

it('reads as of the transaction start and conflicts on documents changed since', async () => {
  const c = client.db('txn').collection<{ _id: number; v: number }>('snapshot');
  await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }]);
  const s = client.startSession();
  s.startTransaction();
  expect(await c.countDocuments({}, { session: s })).toBe(2); // snapshot taken
  await c.insertOne({ _id: 3, v: 3 });
  await c.updateOne({ _id: 1 }, { $set: { v: 10 } });
  await c.deleteOne({ _id: 2 });
  expect((await c.find({}, { session: s }).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([[1, 1], [2, 2]]);
  const err = (await c.updateOne({ _id: 1 }, { $inc: { v: 1 } }, { session: s }).catch((e: unknown) => e)) as MongoServerError;
  expect(err.code).toBe(112);
  expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
  await s.abortTransaction().catch(() => undefined);
  await s.endSession();
  expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([[1, 10], [3, 3]]);
});
