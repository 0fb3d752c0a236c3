// Rate limits per plan, per REST surface (each keeps its own document's scheme):
// - 'techcorp-v2' (seed 003; /v2, /graphql, subscriptions): per minute and per day, Free 60/10,000,
//   Starter 300/100,000, Pro 1,000/1,000,000. Enterprise is "custom": a per-key override, else the
//   configured defaults (RATE_LIMIT_ENTERPRISE_PER_MINUTE / _PER_DAY).
// - 'techcorp-reference' (seed 001; SecureAuth, CloudSync, DataFlow): per minute and per day, Basic
//   60/10,000 (free), Professional 300/100,000 (starter, pro), Enterprise 1,000 and no daily cap.
// - 'hourly' (seeds 000, 002, 004): per hour, Free 1,000 (free), Pro(fessional) 10,000 (starter,
//   pro), Enterprise custom (RATE_LIMIT_ENTERPRISE_PER_HOUR).
// A key's per-minute / per-day override applies to both per-minute-and-day schemes; the hourly
// scheme has no such window, so it keeps the plan's hourly limit.
import type { Plan } from '../../../platform/src/principal.js';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import type { RestApi } from '../rest/RestRoute.js';

export type RateLimitScheme = RestApi['rateLimitScheme'];
export const RATE_LIMIT_SCHEMES: readonly RateLimitScheme[] = ['techcorp-v2', 'techcorp-reference', 'hourly'];

export interface Limits {
  perMinute: number;
  perDay: number;
}

export interface RateWindow {
  /** Window length in seconds; each window divides the longest one of its scheme. */
  seconds: number;
  limit: number;
}

/** The windows one request is counted in, for one scheme (a window left out is unlimited). */
export interface SchemeLimits {
  scheme: RateLimitScheme;
  windows: RateWindow[];
}

export const PLAN_LIMITS: Record<Exclude<Plan, 'enterprise'>, Limits> = {
  free: { perMinute: 60, perDay: 10_000 },
  starter: { perMinute: 300, perDay: 100_000 },
  pro: { perMinute: 1_000, perDay: 1_000_000 },
};

/** Seed 001's tiers: Basic, Professional, Enterprise (`perDay` undefined = unlimited). */
export const REFERENCE_LIMITS: Record<Plan, { perMinute: number; perDay?: number }> = {
  free: { perMinute: 60, perDay: 10_000 },
  starter: { perMinute: 300, perDay: 100_000 },
  pro: { perMinute: 300, perDay: 100_000 },
  enterprise: { perMinute: 1_000 },
};

/** Seeds 000/002/004's tiers: Free, Pro(fessional); Enterprise is configured. */
export const HOURLY_LIMITS: Record<Exclude<Plan, 'enterprise'>, number> = { free: 1_000, starter: 10_000, pro: 10_000 };
export const DEFAULT_ENTERPRISE_PER_HOUR = 100_000;

export function limitsFor(plan: Plan, enterprise: EnterpriseLimits, override?: Partial<Limits>): Limits {
  const base = plan === 'enterprise' ? enterprise : PLAN_LIMITS[plan];
  return { perMinute: override?.perMinute ?? base.perMinute, perDay: override?.perDay ?? base.perDay };
}

export function minuteAndDay(scheme: RateLimitScheme, limits: { perMinute: number; perDay?: number | undefined }): SchemeLimits {
  const windows = [{ seconds: 60, limit: limits.perMinute }];
  if (limits.perDay !== undefined) windows.push({ seconds: 86_400, limit: limits.perDay });
  return { scheme, windows };
}

export function schemeLimitsFor(scheme: RateLimitScheme, plan: Plan, enterprise: EnterpriseLimits, override?: Partial<Limits>): SchemeLimits {
  switch (scheme) {
    case 'techcorp-v2':
      return minuteAndDay(scheme, limitsFor(plan, enterprise, override));
    case 'techcorp-reference': {
      const base = REFERENCE_LIMITS[plan];
      return minuteAndDay(scheme, { perMinute: override?.perMinute ?? base.perMinute, perDay: override?.perDay ?? base.perDay });
    }
    case 'hourly': {
      const limit = plan === 'enterprise' ? (enterprise.perHour ?? DEFAULT_ENTERPRISE_PER_HOUR) : HOURLY_LIMITS[plan];
      return { scheme, windows: [{ seconds: 3600, limit }] };
    }
  }
}

/** Every scheme's limits for one credential (what `Authenticated.schemeLimits` holds). */
export function allSchemeLimits(plan: Plan, enterprise: EnterpriseLimits, override?: Partial<Limits>): Record<RateLimitScheme, SchemeLimits> {
  return Object.fromEntries(RATE_LIMIT_SCHEMES.map((s) => [s, schemeLimitsFor(s, plan, enterprise, override)])) as Record<RateLimitScheme, SchemeLimits>;
}

/** Plain per-minute/per-day limits (sign-in budgets, old callers) count in seed 003's scheme. */
export function toSchemeLimits(limits: Limits | SchemeLimits): SchemeLimits {
  return 'windows' in limits ? limits : minuteAndDay('techcorp-v2', limits);
}
