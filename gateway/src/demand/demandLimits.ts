// Demand-control limits per plan. Every limit is checked before planning; a request over any of
// them is refused with its code (platform/src/errors.ts) and nothing is executed.
// The numbers are sized so that every documented REST route at its largest page (limit=100) fits
// the free plan (demandControl.test.ts checks it) while recursive or aliased fan-out does not.
import type { Plan } from '../../../platform/src/principal.js';

export interface DemandLimits {
  /** Lexical tokens of one document (graphql-js `parse(…, { maxTokens })`): TOO_MANY_TOKENS. */
  maxTokens: number;
  /** Field nesting, fragments flattened, introspection ignored: QUERY_TOO_DEEP. */
  maxDepth: number;
  /** Aliases of one operation, fragments expanded: TOO_MANY_ALIASES. */
  maxAliases: number;
  /** Directive uses of one operation, fragments expanded: TOO_MANY_DIRECTIVES. */
  maxDirectives: number;
  /** Root fields of one operation (aliases and duplicates count): TOO_MANY_ROOT_FIELDS. */
  maxRootFields: number;
  /** Static cost estimate (IBM cost spec, as Apollo Router computes it): COST_ESTIMATED_TOO_EXPENSIVE. */
  maxCost: number;
  /** Operations of one batched HTTP request (a JSON array); 0 refuses batches: BATCH_TOO_LARGE. */
  maxBatchOperations: number;
}

export const DEMAND_LIMITS: Record<Plan, DemandLimits> = {
  free: { maxTokens: 2_000, maxDepth: 10, maxAliases: 15, maxDirectives: 20, maxRootFields: 10, maxCost: 2_000, maxBatchOperations: 5 },
  starter: { maxTokens: 5_000, maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxRootFields: 20, maxCost: 5_000, maxBatchOperations: 10 },
  pro: { maxTokens: 8_000, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxRootFields: 20, maxCost: 10_000, maxBatchOperations: 10 },
  enterprise: { maxTokens: 10_000, maxDepth: 15, maxAliases: 50, maxDirectives: 50, maxRootFields: 20, maxCost: 50_000, maxBatchOperations: 20 },
};

/** Size assumed for a list field without `@listSize` (Apollo Router's `static_estimated.list_size`). */
export const DEFAULT_LIST_SIZE = 10;

export type DemandLimitOverrides = Partial<Record<Plan, Partial<DemandLimits>>>;

export function resolveDemandLimits(overrides: DemandLimitOverrides = {}): Record<Plan, DemandLimits> {
  const out = {} as Record<Plan, DemandLimits>;
  for (const plan of Object.keys(DEMAND_LIMITS) as Plan[]) out[plan] = { ...DEMAND_LIMITS[plan], ...overrides[plan] };
  return out;
}
