import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';
import { RATE_LIMITS } from './RateLimiter.js';
import { ReservingRateLimiter } from './ReservingRateLimiter.js';

let dir: string;
let mongo: Awaited<ReturnType<typeof startEmbeddedMongo>>;
let client: MongoClient;
let db: Db;
let commands: string[] = [];
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'reserving-limiter-'));
  mongo = await startEmbeddedMongo({ dbPath: dir, port: 0, host: '127.0.0.1' });
  client = new MongoClient(mongo.uri, { monitorCommands: true });
  client.on('commandStarted', (e) => commands.push(e.commandName));
  await client.connect();
  db = client.db('limiter_test');
});

afterAll(async () => {
  await client?.close();
  await mongo?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  commands = [];
});

const subject = () => `key-${++n}`;
const T = Date.UTC(2026, 0, 1, 12, 0, 10); // 10 s into a minute

test('small limits are counted exactly per request: the 61st of a free-plan minute is refused', async () => {
  const limiter = new ReservingRateLimiter(db);
  const s = subject();
  const results = [];
  for (let i = 0; i < 61; i++) results.push(await limiter.hit(s, { perMinute: 60, perDay: 10_000 }, T));
  expect(results.slice(0, 60).every((r) => r.allowed)).toBe(true);
  expect(results.map((r) => r.binding.remaining).slice(0, 3)).toEqual([59, 58, 57]);
  expect(results[60]!.allowed).toBe(false);
  expect(results[60]!.binding.window).toBe(60);
  // The refused request consumed nothing in the shared counter.
  const counter = await db.collection<{ _id: string; count: number }>(RATE_LIMITS).findOne({ _id: `${s}:60:${Math.floor(T / 60_000) * 60}` });
  expect(counter?.count).toBe(60);
});

test('two processes sharing one counter never exceed the limit, even under a burst', async () => {
  const [a, b] = [new ReservingRateLimiter(db, { limitShare: 0.05, exactBelow: 0 }), new ReservingRateLimiter(db, { limitShare: 0.05, exactBelow: 0 })];
  const s = subject();
  const limits = { perMinute: 1_000, perDay: 1_000_000 };
  const hits = await Promise.all(Array.from({ length: 1_400 }, (_, i) => (i % 2 ? a : b).hit(s, limits, T)));
  const allowed = hits.filter((h) => h.allowed).length;
  expect(allowed).toBeLessThanOrEqual(1_000);
  // Units held unspent by one process while the other is refused: at most one block (50) each.
  expect(allowed).toBeGreaterThanOrEqual(1_000 - 2 * 50);
  const counter = await db.collection<{ _id: string; count: number }>(RATE_LIMITS).findOne({ _id: `${s}:60:${Math.floor(T / 60_000) * 60}` });
  expect(counter!.count).toBeLessThanOrEqual(1_000);
});

test('a high limit costs far fewer database round trips than requests', async () => {
  const limiter = new ReservingRateLimiter(db);
  const s = subject();
  const limits = { perMinute: 1_000_000_000, perDay: 1_000_000_000 };
  for (let burst = 0; burst < 20; burst++) {
    const hits = await Promise.all(Array.from({ length: 50 }, () => limiter.hit(s, limits, T + burst)));
    expect(hits.every((h) => h.allowed)).toBe(true);
  }
  const writes = commands.filter((c) => c === 'findAndModify' || c === 'update').length;
  expect(writes).toBeLessThan(1_000 / 10);
});

test('a new window starts a new count', async () => {
  const limiter = new ReservingRateLimiter(db);
  const s = subject();
  const limits = { perMinute: 2, perDay: 100 };
  expect((await limiter.hit(s, limits, T)).allowed).toBe(true);
  expect((await limiter.hit(s, limits, T)).allowed).toBe(true);
  expect((await limiter.hit(s, limits, T)).allowed).toBe(false);
  const next = await limiter.hit(s, limits, T + 60_000);
  expect(next.allowed).toBe(true);
  expect(next.binding.reset).toBe(Math.floor(T / 60_000) * 60 + 120);
});

test('each scheme counts in its own windows and counters: hourly, and seed 001 beside seed 003', async () => {
  const limiter = new ReservingRateLimiter(db);
  const s = subject();
  const hourly = { scheme: 'hourly' as const, windows: [{ seconds: 3600, limit: 2 }] };
  expect((await limiter.hit(s, hourly, T)).binding).toMatchObject({ window: 3600, remaining: 1, reset: Math.floor(T / 3_600_000) * 3600 + 3600 });
  expect((await limiter.hit(s, hourly, T + 120_000)).allowed).toBe(true);
  expect((await limiter.hit(s, hourly, T + 180_000)).allowed).toBe(false);
  // Seed 003's budget for the same key is untouched, and seed 001's (same windows) is separate from it.
  const v2 = { perMinute: 1, perDay: 10 };
  const reference = { scheme: 'techcorp-reference' as const, windows: [{ seconds: 60, limit: 1 }, { seconds: 86_400, limit: 10 }] };
  expect((await limiter.hit(s, v2, T)).allowed).toBe(true);
  expect((await limiter.hit(s, reference, T)).allowed).toBe(true);
  expect((await limiter.hit(s, v2, T)).allowed).toBe(false);
  const hour = await db.collection<{ _id: string; count: number }>(RATE_LIMITS).findOne({ _id: `${s}:hourly:3600:${Math.floor(T / 3_600_000) * 3600}` });
  expect(hour?.count).toBe(2);
});
