// Seed 003's rate limits per plan. Enterprise is "custom": a per-key override, else the configured
// defaults (RATE_LIMIT_ENTERPRISE_PER_MINUTE / _PER_DAY).
import type { Plan } from '../../../platform/src/principal.js';
import type { EnterpriseLimits } from '../../../platform/src/env.js';

export interface Limits {
  perMinute: number;
  perDay: number;
}

export const PLAN_LIMITS: Record<Exclude<Plan, 'enterprise'>, Limits> = {
  free: { perMinute: 60, perDay: 10_000 },
  starter: { perMinute: 300, perDay: 100_000 },
  pro: { perMinute: 1_000, perDay: 1_000_000 },
};

export function limitsFor(plan: Plan, enterprise: EnterpriseLimits, override?: Partial<Limits>): Limits {
  const base = plan === 'enterprise' ? enterprise : PLAN_LIMITS[plan];
  return { perMinute: override?.perMinute ?? base.perMinute, perDay: override?.perDay ?? base.perDay };
}
