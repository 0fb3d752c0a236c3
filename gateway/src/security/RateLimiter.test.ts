import { chooseBinding, type WindowState } from './RateLimiter.js';

const w = (window: number, limit: number, count: number, reset: number): WindowState => ({ window, limit, count, remaining: Math.max(0, limit - count), reset });

test('headers report the window with fewer requests left', () => {
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 20, 1000)]).window).toBe(60);
  expect(chooseBinding([w(60, 60, 10, 100), w(86400, 10000, 9990, 1000)]).window).toBe(86400);
});

test('an exhausted day window binds even when the minute has room', () => {
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 100, 101, 1000)]).window).toBe(86400);
  expect(chooseBinding([w(60, 60, 61, 100), w(86400, 10000, 500, 1000)]).window).toBe(60);
});
