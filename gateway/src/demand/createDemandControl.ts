// Demand control for every GraphQL request of the pipeline, before planning: bounded parse
// (tokens), shape limits (depth, aliases, directives, root fields), then the static cost estimate
// against the plan's maximum. Nothing here executes anything. After execution, `actualCost` gives
// the cost of what was returned (for `extensions.cost` and the rate limiter).
//
//   const demand = createDemandControl({ supergraphSdl });
//   const checked = demand.check(body.query, { plan, variables: body.variables, operationName: body.operationName });
//   if (!checked.ok) return { errors: [refusalToGraphQLError(checked)] };   // HTTP checked.status
//   … execute checked.document …
//   result.extensions = { ...result.extensions, cost: demand.costExtension(checked, result.data) };
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import type { Plan } from '../../../platform/src/principal.js';
import { actualCost } from './actualCost.js';
import { checkBatch, type BatchCheck, type BatchedRequest } from './checkBatch.js';
import { checkShape } from './checkShape.js';
import { CostAnnotations } from './CostAnnotations.js';
import { DEFAULT_LIST_SIZE, resolveDemandLimits, type DemandLimitOverrides, type DemandLimits } from './demandLimits.js';
import { DemandRefusalError, refuse, type DemandRefusal } from './DemandRefusal.js';
import { estimateCost, fragmentsOf, variablesWithDefaults, type CostContext } from './estimateCost.js';
import { parseBounded } from './parseBounded.js';

export interface DemandControlOptions {
  /** The composed supergraph: its `@cost` / `@listSize` applications drive the estimate. */
  supergraphSdl: string;
  /** The API schema the gateway serves (built from `supergraphSdl` when left out). */
  apiSchema?: GraphQLSchema;
  /** Per-plan changes to DEMAND_LIMITS (e.g. an enterprise contract's own maximum cost). */
  limits?: DemandLimitOverrides;
  /** Size of a list field without `@listSize` (default DEFAULT_LIST_SIZE). */
  defaultListSize?: number;
}

export interface CheckOptions {
  plan: Plan;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface DemandAccepted {
  ok: true;
  /** The parsed document, to execute without parsing again. */
  document: DocumentNode;
  /** The operation that will run (undefined when the name matches none: execution reports that). */
  operation: OperationDefinitionNode | undefined;
  estimatedCost: number;
  maxCost: number;
  plan: Plan;
  /** Variables with the operation's defaults filled in, as the cost walk saw them. */
  variables: Record<string, unknown>;
}

export type DemandCheck = DemandAccepted | DemandRefusal;

/** What goes into a response's `extensions.cost`. */
export interface CostExtension {
  estimated: number;
  actual?: number;
  max: number;
}

export interface DemandControl {
  check(document: string | DocumentNode, options: CheckOptions): DemandCheck;
  /** Cost of what the accepted operation returned (its `data`). */
  actualCost(accepted: DemandAccepted, data: unknown): number;
  costExtension(accepted: DemandAccepted, data?: unknown): CostExtension;
  /** Batching policy for a JSON-array body (see checkBatch.ts). */
  checkBatch(requests: readonly BatchedRequest[], plan: Plan): BatchCheck;
  limitsFor(plan: Plan): DemandLimits;
  readonly schema: GraphQLSchema;
}

function selectOperations(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode[] {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) {
    const named = operations.filter((o) => o.name?.value === operationName);
    return named.length > 0 ? named : operations;
  }
  // Several operations and no name: execution refuses it, but cost the dearest one meanwhile.
  return operations;
}

export function createDemandControl(options: DemandControlOptions): DemandControl {
  const schema = options.apiSchema ?? Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const annotations = CostAnnotations.fromSdl(options.supergraphSdl);
  const limitsByPlan = resolveDemandLimits(options.limits);
  const defaultListSize = options.defaultListSize ?? DEFAULT_LIST_SIZE;

  const limitsFor = (plan: Plan): DemandLimits => limitsByPlan[plan] ?? limitsByPlan.free;

  const contextFor = (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): CostContext => ({
    schema,
    annotations,
    fragments: fragmentsOf(document),
    variables: variablesWithDefaults(operation, variables),
    defaultListSize,
  });

  const check = (source: string | DocumentNode, options: CheckOptions): DemandCheck => {
    try {
      return checkUnguarded(source, options);
    } catch (error) {
      // Every walk recurses per nesting level; a document that exhausts the stack is too deep.
      if (error instanceof RangeError) return refuse('QUERY_TOO_DEEP', 'The document nests too deeply to check.', { plan: options.plan });
      throw error;
    }
  };

  const checkUnguarded = (source: string | DocumentNode, { plan, variables, operationName }: CheckOptions): DemandCheck => {
    const limits = limitsFor(plan);
    const document = parseBounded(source, limits.maxTokens, plan);
    if ('ok' in document) return document;
    const shape = checkShape(schema, document, limits, plan);
    if (shape) return shape;
    const operations = selectOperations(document, operationName);
    let estimatedCost = 0;
    let chosen: OperationDefinitionNode | undefined;
    try {
      for (const operation of operations) {
        const cost = estimateCost(contextFor(document, operation, variables), operation);
        if (chosen === undefined || cost > estimatedCost) [estimatedCost, chosen] = [cost, operation];
      }
    } catch (error) {
      if (error instanceof DemandRefusalError) return error.refusal;
      throw error;
    }
    if (estimatedCost > limits.maxCost) {
      return refuse('COST_ESTIMATED_TOO_EXPENSIVE', `The operation's estimated cost ${estimatedCost} exceeds the ${plan} plan's maximum of ${limits.maxCost}.`, {
        estimated: estimatedCost,
        max: limits.maxCost,
        plan,
      });
    }
    const operation = operations.length === 1 || operationName ? chosen : undefined;
    return { ok: true, document, operation, estimatedCost, maxCost: limits.maxCost, plan, variables: chosen ? variablesWithDefaults(chosen, variables) : { ...(variables ?? {}) } };
  };

  const measure = (accepted: DemandAccepted, data: unknown): number => {
    const operation = accepted.operation;
    return operation ? actualCost(contextFor(accepted.document, operation, accepted.variables), operation, data) : 0;
  };

  return {
    schema,
    check,
    actualCost: measure,
    costExtension: (accepted, data) => ({
      estimated: accepted.estimatedCost,
      ...(data === undefined ? {} : { actual: measure(accepted, data) }),
      max: accepted.maxCost,
    }),
    checkBatch: (requests, plan) => checkBatch(requests, limitsFor(plan), plan, check),
    limitsFor,
  };
}
