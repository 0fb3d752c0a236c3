// A consumer that stops and starts again continues after the last event it handled: nothing
// skipped, nothing handled twice when it stopped cleanly.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';
import { appendEvent, type EventDocument } from './outbox.js';
import { EventConsumer } from './EventConsumer.js';

let dir: string;
let server: Awaited<ReturnType<typeof startEmbeddedMongo>>;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'consumer-'));
  server = await startEmbeddedMongo({ dbPath: dir });
  client = new MongoClient(server.uri);
  db = client.db('consumer_test');
}, 30_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const waitFor = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const event = (n: number) => appendEvent(db, undefined, { type: 'order.created', accountId: 'acc_1', mode: 'live', data: { id: `ord_${n}` } });

test('resumes after the last handled event across a restart', async () => {
  const seen: string[] = [];
  const handle = (e: EventDocument) => void seen.push(String(e.data.id));
  const first = new EventConsumer({ db, name: 'restart-test', handle });
  await first.start();
  await event(1);
  await event(2);
  await waitFor(() => seen.length === 2);
  await first.stop();

  // Written while no consumer runs: must not be skipped.
  await event(3);
  await event(4);
  const second = new EventConsumer({ db, name: 'restart-test', handle });
  await second.start();
  await event(5);
  await waitFor(() => seen.length === 5);
  await second.stop();
  expect(seen).toEqual(['ord_1', 'ord_2', 'ord_3', 'ord_4', 'ord_5']);
}, 30_000);

test('a first run that saw no event still resumes from where it started', async () => {
  const seen: string[] = [];
  const handle = (e: EventDocument) => void seen.push(String(e.data.id));
  const first = new EventConsumer({ db, name: 'idle-test', handle });
  await first.start();
  await first.stop();
  await event(10);
  const second = new EventConsumer({ db, name: 'idle-test', handle });
  await second.start();
  await waitFor(() => seen.length === 1);
  await second.stop();
  expect(seen).toEqual(['ord_10']);
}, 30_000);
