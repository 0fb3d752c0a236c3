import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '../../../platform/src/mongo.js';
import { RateLimiter, chooseBinding, rateLimitHeaders, type WindowState } from './RateLimiter.js';

const w = (window: number, limit: number, count: number, reset: number): WindowState => ({ window, limit, count, remaining: Math.max(0, limit - count), reset });

test('headers report the window with fewer requests left', () => {
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 20, 1000)]).window).toBe(60);
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 9990, 1000)]).window).toBe(86400);
});

test('an exhausted day window binds even when the minute has room', () => {
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 100, 101, 1000)]).window).toBe(86400);
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 10000, 500, 1000)]).window).toBe(60);
});

describe('counting in MongoDB (embedded server, through the driver)', () => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'junction-rl-'));
    database = await connectDatabase({ mongodbUri: process.env.JUNCTION_TEST_MONGODB_URI, mongodbDb: 'rl_test', dataDir: dir });
    await RateLimiter.ensureIndexes(database.db);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('counts both windows, refuses past the limit without consuming budget, resets each minute', async () => {
    const limiter = new RateLimiter(database.db);
    const limits = { perMinute: 3, perDay: 5 };
    const t = Date.UTC(2030, 0, 1, 10, 0, 5);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('key_a', limits, t));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(rateLimitHeaders(results[0]!)).toEqual({ 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '2', 'X-RateLimit-Reset': String(t / 1000 - 5 + 60), 'X-RateLimit-Window': '60' });
    expect(results[3]!.binding).toMatchObject({ window: 60, remaining: 0 });
    // Next minute: the minute budget is back, the day has 2 left (the refused hit was given back).
    const next = await limiter.hit('key_a', limits, t + 60_000);
    expect(next.allowed).toBe(true);
    expect(next.binding).toMatchObject({ window: 86_400, remaining: 1, reset: Date.UTC(2030, 0, 2) / 1000 });
    await limiter.hit('key_a', limits, t + 61_000);
    const dayOver = await limiter.hit('key_a', limits, t + 62_000);
    expect(dayOver.allowed).toBe(false);
    expect(dayOver.binding.window).toBe(86_400);
    // Another key has its own budget.
    expect((await limiter.hit('key_b', limits, t)).allowed).toBe(true);
  });

  test('concurrent hits are counted exactly', async () => {
    const limiter = new RateLimiter(database.db);
    const t = Date.UTC(2030, 0, 3, 10, 0, 5);
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.hit('key_c', { perMinute: 25, perDay: 1000 }, t)));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
  });
});
