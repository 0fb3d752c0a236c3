// Bad input on the wire: garbage, an absurd message length, invalid BSON, a document over 16 MiB
// and one nested deeper than 100 levels. Each must get a MongoDB error reply or a closed
// connection; the server must keep serving other clients and no data may change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { opMsg, opMsgRaw, oversizedInsert, sendRaw, type RawOutcome } from './support/rawWire.js';

let dbPath = '';
let server: Awaited<ReturnType<typeof startEmbeddedMongo>>;
let client: MongoClient;

beforeAll(async () => {
  dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-badinput-'));
  server = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
  client = new MongoClient(server.uri);
  await client.db('bad').collection('c').insertMany([{ _id: 1 as never, v: 'a' }, { _id: 2 as never, v: 'b' }]);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  fs.rmSync(dbPath, { recursive: true, force: true });
});

/** The server is still up, answers a new client, and the collection is as it was. */
async function expectHealthyAndUnchanged(): Promise<void> {
  const fresh = new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000 });
  try {
    expect((await fresh.db('admin').command({ ping: 1 })).ok).toBe(1);
    expect(await fresh.db('bad').collection('c').find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, v: 'a' },
      { _id: 2, v: 'b' },
    ]);
  } finally {
    await fresh.close();
  }
}

function expectErrorOrClose(outcome: RawOutcome): void {
  if ('closed' in outcome) return;
  const r = outcome.reply;
  const failed = r.ok === 0 || (Array.isArray(r.writeErrors) && r.writeErrors.length > 0);
  expect({ failed, reply: r }).toMatchObject({ failed: true });
}

it('garbage bytes: error or closed connection, server stays up', async () => {
  const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
  expectErrorOrClose(await sendRaw(server.port, junk));
  await expectHealthyAndUnchanged();
});

it('a message length of 2 GiB is refused without allocating it', async () => {
  const header = Buffer.alloc(16);
  header.writeInt32LE(0x7fffffff, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(2013, 12);
  expectErrorOrClose(await sendRaw(server.port, header));
  await expectHealthyAndUnchanged();
});

it('a negative or too-short message length is refused', async () => {
  const header = Buffer.alloc(16);
  header.writeInt32LE(-5, 0);
  header.writeInt32LE(2013, 12);
  expectErrorOrClose(await sendRaw(server.port, header));
  const short = Buffer.alloc(16);
  short.writeInt32LE(8, 0);
  short.writeInt32LE(2013, 12);
  expectErrorOrClose(await sendRaw(server.port, short));
  await expectHealthyAndUnchanged();
});

it('invalid BSON in an OP_MSG body is refused', async () => {
  const good = Buffer.from(opMsg({ insert: 'c', documents: [{ _id: 3 }], $db: 'bad' }).subarray(21));
  const corrupt = Buffer.from(good);
  corrupt.writeInt32LE(good.length + 1000, 0); // the document claims to be longer than it is
  expectErrorOrClose(await sendRaw(server.port, opMsgRaw(corrupt)));
  const badType = Buffer.from(good);
  badType[4] = 0x7a; // an element type that does not exist
  expectErrorOrClose(await sendRaw(server.port, opMsgRaw(badType)));
  await expectHealthyAndUnchanged();
});

it('an unknown opcode is refused', async () => {
  const msg = opMsg({ ping: 1, $db: 'admin' });
  msg.writeInt32LE(9999, 12);
  expectErrorOrClose(await sendRaw(server.port, msg));
  await expectHealthyAndUnchanged();
});

it('a document over 16 MiB is rejected (raw wire and through the driver)', async () => {
  expectErrorOrClose(await sendRaw(server.port, oversizedInsert('bad', 'c', 17 * 1024 * 1024), 20_000));
  const big = 'z'.repeat(17 * 1024 * 1024);
  await expect(client.db('bad').collection('c').insertOne({ _id: 5 as never, big })).rejects.toThrow();
  await expectHealthyAndUnchanged();
});

it('a document nested 101 levels deep is rejected', async () => {
  let nested: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 101; i++) nested = { a: nested };
  await expect(client.db('bad').collection('c').insertOne({ _id: 6 as never, nested })).rejects.toThrow();
  expectErrorOrClose(await sendRaw(server.port, opMsg({ insert: 'c', documents: [{ _id: 7, nested }], $db: 'bad' })));
  await expectHealthyAndUnchanged();
});

it('an unknown command answers CommandNotFound (59) and keeps the connection', async () => {
  const err = await client.db('admin').command({ noSuchCommandHere: 1 }).catch((e: { code?: number }) => e);
  expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
});
