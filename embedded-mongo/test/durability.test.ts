// Durability under kill -9: a server in a child process takes a concurrent write load (plain
// inserts, updates and multi-document transactions) and is killed with SIGKILL at a random
// moment; the data directory is then reopened and every acknowledged write must be there, and
// every transaction must be all-or-nothing. Also: a torn or garbage WAL tail is discarded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { spawnServer } from './support/spawnServer.js';


interface Acked {
  inserts: Map<string, number>; // _id -> payload length
  txns: Set<number>;
  lastUpdate: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the write load until the server dies; records what the server acknowledged. */
async function writeLoad(uri: string, round: number, acked: Acked): Promise<void> {
  const client = new MongoClient(uri, { retryWrites: false, retryReads: false, serverSelectionTimeoutMS: 2000, socketTimeoutMS: 5000 });
  await client.connect();
  const db = client.db('durability');
  let alive = true;
  const stop = () => { alive = false; };
  const inserter = async (writer: number) => {
    for (let i = 0; alive; i++) {
      const _id = `r${round}-w${writer}-${i}`;
      const len = 1 + ((i * 7919 + writer * 104729) % 3000);
      try {
        await db.collection('docs').insertOne({ _id: _id as never, payload: 'x'.repeat(len), len });
        acked.inserts.set(_id, len);
      } catch { stop(); }
    }
  };
  const transactor = async () => {
    for (let i = 0; alive; i++) {
      const n = round * 1_000_000 + i;
      const session = client.startSession();
      try {
        session.startTransaction();
        await db.collection('a').insertOne({ _id: n as never, pair: n }, { session });
        await db.collection('b').insertOne({ _id: n as never, pair: n }, { session });
        await db.collection('a').updateOne({ _id: 'counter' as never }, { $inc: { n: 1 } }, { session, upsert: true });
        await session.commitTransaction();
        acked.txns.add(n);
      } catch { stop(); } finally { await session.endSession().catch(() => undefined); }
    }
  };
  const updater = async () => {
    for (let i = acked.lastUpdate + 1; alive; i++) {
      try {
        await db.collection('docs').updateOne({ _id: 'updated' as never }, { $set: { v: i } }, { upsert: true });
        acked.lastUpdate = i;
      } catch { stop(); }
    }
  };
  await Promise.all([inserter(0), inserter(1), inserter(2), transactor(), updater()]);
  await client.close(true).catch(() => undefined);
}

async function verify(dbPath: string, acked: Acked): Promise<void> {
  const server = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
  const client = new MongoClient(server.uri);
  try {
    const db = client.db('durability');
    const docs = await db.collection('docs').find({}).toArray();
    const byId = new Map(docs.map((d) => [String(d._id), d]));
    const missing = [...acked.inserts.keys()].filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
    // Nothing half-written: every document that exists is whole.
    const torn = docs.filter((d) => String(d._id) !== 'updated' && (typeof d.payload !== 'string' || d.payload.length !== d.len));
    expect(torn).toEqual([]);
    const updated = await db.collection('docs').findOne({ _id: 'updated' as never });
    if (acked.lastUpdate > 0) expect(updated?.v).toBeGreaterThanOrEqual(acked.lastUpdate);
    // Transactions: all acknowledged ones present; none half-applied; the counter agrees.
    const a = new Set((await db.collection('a').find({ pair: { $exists: true } }).toArray()).map((d) => d.pair as number));
    const b = new Set((await db.collection('b').find({}).toArray()).map((d) => d.pair as number));
    expect([...acked.txns].filter((n) => !a.has(n) || !b.has(n))).toEqual([]);
    expect([...a].filter((n) => !b.has(n))).toEqual([]);
    expect([...b].filter((n) => !a.has(n))).toEqual([]);
    const counter = await db.collection('a').findOne({ _id: 'counter' as never });
    expect(counter?.n ?? 0).toBe(a.size);
  } finally {
    await client.close();
    await server.close();
  }
}

/** The write-ahead log file(s) in a data directory: the most recently written log-like file. */
function walFile(dbPath: string): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/wal|journal|\.log$/i.test(e.name) && !/lock/i.test(e.name)) files.push(p);
    }
  };
  walk(dbPath);
  files.sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs);
  if (!files[0]) throw new Error(`no write-ahead log file found in ${dbPath}: ${fs.readdirSync(dbPath).join(', ')}`);
  return files[0];
}

describe('durability after SIGKILL', () => {
  let dbPath = '';
  beforeEach(() => { dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-durability-')); });
  afterEach(() => fs.rmSync(dbPath, { recursive: true, force: true }));

  it('keeps every acknowledged write and no half transaction across three kills at random moments', async () => {
    const acked: Acked = { inserts: new Map(), txns: new Set(), lastUpdate: 0 };
    for (let round = 0; round < 3; round++) {
      const server = await spawnServer(dbPath);
      const load = writeLoad(server.uri, round, acked);
      // Kill at a random moment once the load is under way (a slow, shared CI machine may need a
      // while to get the first writes through), so every round really interrupts writes.
      const startedWith = acked.inserts.size;
      const deadline = Date.now() + 15_000;
      while (acked.inserts.size - startedWith < 20 && Date.now() < deadline) await sleep(20);
      await sleep(Math.floor(Math.random() * 500));
      await server.kill('SIGKILL');
      await load;
      await verify(dbPath, acked);
      console.log(`[durability] round ${round}: killed -9 with ${acked.inserts.size} inserts, ${acked.txns.size} transactions, ${acked.lastUpdate} updates acknowledged so far; all present after reopening`);
    }
    // The load really ran: writes were acknowledged in every round.
    for (let round = 0; round < 3; round++) expect([...acked.inserts.keys()].some((id) => id.startsWith(`r${round}-`))).toBe(true);
    expect(acked.txns.size).toBeGreaterThan(0);
  }, 120_000);

  it('discards a torn last WAL record and keeps accepting (and keeping) new writes', async () => {
    const server = await spawnServer(dbPath);
    const client = new MongoClient(server.uri, { retryWrites: false });
    for (let i = 0; i < 20; i++) await client.db('torn').collection('c').insertOne({ _id: i as never, v: 'y'.repeat(100) });
    await server.kill('SIGKILL');
    await client.close(true).catch(() => undefined);
    const wal = walFile(dbPath);
    const size = fs.statSync(wal).size;
    expect(size).toBeGreaterThan(10);
    fs.truncateSync(wal, size - 5); // the last record loses its end, as a crash mid-write would leave it

    const reopened = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    const c2 = new MongoClient(reopened.uri);
    const ids = (await c2.db('torn').collection('c').find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
    // A prefix survives: everything but (at most) the torn record.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));
    expect(ids.length).toBeGreaterThanOrEqual(19);
    await c2.db('torn').collection('c').insertOne({ _id: 100 as never, after: true });
    await c2.close();
    await reopened.close();

    // The write made after recovery must survive the next start (the torn bytes must not hide it).
    const again = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    const c3 = new MongoClient(again.uri);
    expect(await c3.db('torn').collection('c').findOne({ _id: 100 as never })).toEqual({ _id: 100, after: true });
    expect(await c3.db('torn').collection('c').countDocuments()).toBe(ids.length + 1);
    await c3.close();
    await again.close();
  });

  it('ignores garbage appended after the last WAL record', async () => {
    const server = await spawnServer(dbPath);
    const client = new MongoClient(server.uri, { retryWrites: false });
    for (let i = 0; i < 10; i++) await client.db('garbage').collection('c').insertOne({ _id: i as never });
    await server.kill('SIGKILL');
    await client.close(true).catch(() => undefined);
    const wal = walFile(dbPath);
    const junk = Buffer.alloc(64, 0xab);
    junk.writeUInt32LE(40, 0); // a plausible length with a wrong checksum
    fs.appendFileSync(wal, junk);

    const reopened = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    const c2 = new MongoClient(reopened.uri);
    expect(await c2.db('garbage').collection('c').countDocuments()).toBe(10);
    await c2.close();
    await reopened.close();
  });
});
