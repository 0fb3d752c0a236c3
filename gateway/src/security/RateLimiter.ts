// The one rate-limiter interface of the gateway, and what every implementation shares: results,
// headers, counter keys. A request is counted in its scheme's windows (seed 003: a minute and a
// day; seed 001: the same with its own tiers; seeds 000/002/004: an hour — see planLimits.ts),
// shared by every gateway process through MongoDB; a refused request consumes nothing; schemes
// never share counters. The implementation production uses is ReservingRateLimiter.ts, beside it.
import type { Limits, SchemeLimits } from './planLimits.js';

export const RATE_LIMITS = 'rate_limits';

export interface WindowState {
  /** Window length in seconds (60, 3600 or 86400). */
  window: number;
  limit: number;
  count: number;
  remaining: number;
  /** Unix seconds when this window resets. */
  reset: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** The window the headers report: an exceeded one (the later reset), else the one with fewer left. */
  binding: WindowState;
  windows: WindowState[];
}

/** Seed 003 adds `X-RateLimit-Window`; seeds 000/001/002/004 document only the other three. */
export function rateLimitHeaders(result: RateLimitResult, options: { window: boolean } = { window: true }): Record<string, string> {
  const { binding } = result;
  return {
    'X-RateLimit-Limit': String(binding.limit),
    'X-RateLimit-Remaining': String(binding.remaining),
    'X-RateLimit-Reset': String(binding.reset),
    ...(options.window ? { 'X-RateLimit-Window': String(binding.window) } : {}),
  };
}

/** Seed 003's counters keep the key alone (as before schemes existed); the others add the scheme. */
export function counterKey(subject: string, limits: SchemeLimits): string {
  return limits.scheme === 'techcorp-v2' ? subject : `${subject}:${limits.scheme}`;
}

export function chooseBinding(windows: WindowState[]): WindowState {
  const exceeded = windows.filter((w) => w.count > w.limit);
  if (exceeded.length > 0) return exceeded.reduce((a, b) => (b.reset > a.reset ? b : a));
  return windows.reduce((a, b) => (b.remaining < a.remaining ? b : a));
}

export interface RateLimiter {
  /** Counts one request (plain `Limits`: seed 003's scheme, per minute and per day). */
  hit(subject: string, limits: Limits | SchemeLimits, now?: number): Promise<RateLimitResult>;
}
