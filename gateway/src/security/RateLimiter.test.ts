import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '../../../platform/src/mongo.js';
import { chooseBinding, rateLimitHeaders, type WindowState } from './RateLimiter.js';
import { ReservingRateLimiter } from './ReservingRateLimiter.js';
import { schemeLimitsFor } from './planLimits.js';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';

const w = (window: number, limit: number, count: number, reset: number): WindowState => ({ window, limit, count, remaining: Math.max(0, limit - count), reset });

test('headers report the window with fewer requests left', () => {
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 20, 1000)]).window).toBe(60);
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 9990, 1000)]).window).toBe(86400);
});

test('an exhausted day window binds even when the minute has room', () => {
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 100, 101, 1000)]).window).toBe(86400);
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 10000, 500, 1000)]).window).toBe(60);
});

test('each surface keeps its document\'s limits per plan', () => {
  const enterprise = { perMinute: 5_000, perDay: 2_000_000, perHour: 50_000 };
  const v2 = (plan: 'free' | 'starter' | 'pro' | 'enterprise') => schemeLimitsFor('techcorp-v2', plan, enterprise).windows;
  const ref = (plan: 'free' | 'starter' | 'pro' | 'enterprise') => schemeLimitsFor('techcorp-reference', plan, enterprise).windows;
  const hourly = (plan: 'free' | 'starter' | 'pro' | 'enterprise') => schemeLimitsFor('hourly', plan, enterprise).windows;
  // Seed 003: Free 60/10,000, Starter 300/100,000, Pro 1,000/1,000,000, Enterprise configured.
  expect(v2('starter')).toEqual([{ seconds: 60, limit: 300 }, { seconds: 86_400, limit: 100_000 }]);
  expect(v2('enterprise')).toEqual([{ seconds: 60, limit: 5_000 }, { seconds: 86_400, limit: 2_000_000 }]);
  // Seed 001: Basic 60/10,000, Professional 300/100,000, Enterprise 1,000 a minute and no daily cap.
  expect(ref('free')).toEqual([{ seconds: 60, limit: 60 }, { seconds: 86_400, limit: 10_000 }]);
  expect(ref('pro')).toEqual([{ seconds: 60, limit: 300 }, { seconds: 86_400, limit: 100_000 }]);
  expect(ref('enterprise')).toEqual([{ seconds: 60, limit: 1_000 }]);
  // Seeds 000/002/004: Free 1,000/h, Pro(fessional) 10,000/h, Enterprise configured.
  expect(hourly('free')).toEqual([{ seconds: 3600, limit: 1_000 }]);
  expect(hourly('starter')).toEqual([{ seconds: 3600, limit: 10_000 }]);
  expect(hourly('enterprise')).toEqual([{ seconds: 3600, limit: 50_000 }]);
  // A key's per-minute/per-day override: seeds 003 and 001, not the hourly scheme.
  expect(schemeLimitsFor('techcorp-reference', 'free', enterprise, { perMinute: 7 }).windows[0]).toEqual({ seconds: 60, limit: 7 });
  expect(schemeLimitsFor('hourly', 'free', enterprise, { perMinute: 7, perDay: 9 }).windows).toEqual([{ seconds: 3600, limit: 1_000 }]);
});

describe('counting in MongoDB (embedded server, through the driver), by the production limiter', () => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'junction-rl-'));
    database = await connectDatabase({ mongodbUri: process.env.JUNCTION_TEST_MONGODB_URI, mongodbDb: 'rl_test', dataDir: dir, startEmbedded: startEmbeddedMongo });
    await ReservingRateLimiter.ensureIndexes(database.db);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('counts both windows, refuses past the limit without consuming budget, resets each minute', async () => {
    const limiter = new ReservingRateLimiter(database.db);
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
    const limiter = new ReservingRateLimiter(database.db);
    const t = Date.UTC(2030, 0, 3, 10, 0, 5);
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.hit('key_c', { perMinute: 25, perDay: 1000 }, t)));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
  });

  test('the hourly scheme counts per hour, answers without X-RateLimit-Window, and has its own budget', async () => {
    const limiter = new ReservingRateLimiter(database.db);
    const t = Date.UTC(2030, 0, 4, 10, 30, 0);
    const hourly = { scheme: 'hourly' as const, windows: [{ seconds: 3600, limit: 2 }] };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await limiter.hit('key_h', hourly, t + i * 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    const hourEnd = Date.UTC(2030, 0, 4, 11) / 1000;
    expect(rateLimitHeaders(results[0]!, { window: false })).toEqual({ 'X-RateLimit-Limit': '2', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': String(hourEnd) });
    // Seed 003's and seed 001's counters for the same key are untouched by the hourly ones.
    expect((await limiter.hit('key_h', { perMinute: 1, perDay: 1 }, t)).binding.remaining).toBe(0);
    expect((await limiter.hit('key_h', { scheme: 'techcorp-reference', windows: [{ seconds: 60, limit: 1 }] }, t)).allowed).toBe(true);
    // The refused hourly hit was given back: the next hour starts fresh, this one stays at 2.
    expect((await limiter.hit('key_h', hourly, t + 3_600_000)).binding).toMatchObject({ window: 3600, remaining: 1, reset: hourEnd + 3600 });
  });

  test('seed 001 counts a minute and a day; enterprise has no daily window', async () => {
    const limiter = new ReservingRateLimiter(database.db);
    const t = Date.UTC(2030, 0, 5, 10, 0, 5);
    const basic = schemeLimitsFor('techcorp-reference', 'free', { perMinute: 1, perDay: 1 });
    const first = await limiter.hit('key_r', basic, t);
    expect(first.windows.map((w) => [w.window, w.remaining])).toEqual([[60, 59], [86_400, 9_999]]);
    expect(rateLimitHeaders(first, { window: false })).toEqual({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59', 'X-RateLimit-Reset': String(t / 1000 - 5 + 60) });
    const enterprise = await limiter.hit('key_r_ent', schemeLimitsFor('techcorp-reference', 'enterprise', { perMinute: 1, perDay: 1 }), t);
    expect(enterprise.windows).toEqual([{ window: 60, limit: 1_000, count: 1, remaining: 999, reset: t / 1000 - 5 + 60 }]);
  });
});
