// How many rate-limit hits a GraphQL request is worth once its cost is known, so that one request
// asking for a thousand objects does not count the same as one asking for one. The documented REST
// routes keep counting 1 per request (their seeds promise N requests per window).

/** Cost points per rate-limit hit: a request costing up to this counts 1, up to twice this 2, … */
export const COST_PER_RATE_LIMIT_UNIT = 1_000;

export function rateLimitUnits(cost: number, perUnit = COST_PER_RATE_LIMIT_UNIT): number {
  if (!Number.isFinite(cost) || cost <= perUnit) return 1;
  return Math.ceil(cost / perUnit);
}
