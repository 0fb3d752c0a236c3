// The outbox commits and aborts with the caller's transaction (embedded server, through the driver).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EVENTS_COLLECTION, appendEvent, ensureEventIndexes } from './outbox.js';
import { connectDatabase, type Database } from '../mongo.js';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';

let database: Database;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'junction-events-'));
  database = await connectDatabase({ mongodbUri: process.env.JUNCTION_TEST_MONGODB_URI, mongodbDb: 'events_test', dataDir: dir, startEmbedded: startEmbeddedMongo });
  await ensureEventIndexes(database.db);
}, 60_000);
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

test('an event written in a committed transaction is stored with id, type, account, mode and time', async () => {
  const session = database.client.startSession();
  let id = '';
  try {
    await session.withTransaction(async () => {
      id = (await appendEvent(database.db, session, { type: 'user.created', accountId: 'acct_1', mode: 'test', data: { id: 'usr_1' } }))._id;
    });
  } finally {
    await session.endSession();
  }
  expect(id).toMatch(/^evt_[0-9A-Za-z]{24}$/);
  const stored = await database.db.collection(EVENTS_COLLECTION).findOne({ _id: id as never });
  expect(stored).toMatchObject({ type: 'user.created', accountId: 'acct_1', mode: 'test', data: { id: 'usr_1' } });
  expect(stored!.createdAt).toBeInstanceOf(Date);
});

test('an event written in an aborted transaction is gone', async () => {
  const session = database.client.startSession();
  let id = '';
  try {
    session.startTransaction();
    id = (await appendEvent(database.db, session, { type: 'user.deleted', accountId: 'acct_1', mode: 'live', data: {} }))._id;
    await session.abortTransaction();
  } finally {
    await session.endSession();
  }
  expect(await database.db.collection(EVENTS_COLLECTION).findOne({ _id: id as never })).toBeNull();
});
