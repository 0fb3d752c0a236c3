// Batching policy for a GraphQL-over-HTTP body that is a JSON array of operations: at most the
// plan's `maxBatchOperations` operations, each checked on its own, and their estimated costs add
// up against the plan's `maxCost` (one HTTP request gets one budget, however it is split).
// A batch over either bound is refused whole, before anything runs; an operation refused on its own
// (too deep, …) gets its own error in its slot while the others run.
import type { DocumentNode } from 'graphql';
import type { DemandLimits } from './demandLimits.js';
import { refuse, type DemandRefusal } from './DemandRefusal.js';
import type { CheckOptions, DemandCheck } from './createDemandControl.js';

export interface BatchedRequest {
  query?: string | DocumentNode | undefined;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}

export type BatchCheck = { ok: true; results: DemandCheck[]; estimatedCost: number } | DemandRefusal;

export function checkBatch(
  requests: readonly BatchedRequest[],
  limits: DemandLimits,
  plan: CheckOptions['plan'],
  check: (document: string | DocumentNode, options: CheckOptions) => DemandCheck,
): BatchCheck {
  if (requests.length === 0 || requests.length > limits.maxBatchOperations) {
    const message =
      limits.maxBatchOperations === 0
        ? `The ${plan} plan does not accept batched requests.`
        : `A batch holds 1 to ${limits.maxBatchOperations} operations on the ${plan} plan; this one holds ${requests.length}.`;
    return refuse('BATCH_TOO_LARGE', message, { limit: limits.maxBatchOperations, found: requests.length, plan });
  }
  const results = requests.map((r) => (typeof r.query === 'string' || (r.query && typeof r.query === 'object') ? check(r.query, { plan, variables: r.variables, operationName: r.operationName }) : refuse('GRAPHQL_PARSE_FAILED', 'Batched operation without a query.')));
  const estimatedCost = results.reduce((sum, r) => sum + (r.ok ? r.estimatedCost : 0), 0);
  if (estimatedCost > limits.maxCost) {
    return refuse('COST_ESTIMATED_TOO_EXPENSIVE', `The batch's estimated cost ${estimatedCost} exceeds the ${plan} plan's maximum of ${limits.maxCost} per request.`, {
      estimated: estimatedCost,
      max: limits.maxCost,
      plan,
    });
  }
  return { ok: true, results, estimatedCost };
}
