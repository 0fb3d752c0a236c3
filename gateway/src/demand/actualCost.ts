// The cost of what an operation actually returned: the static formula (estimateCost.ts) with the
// real list lengths of the response instead of `@listSize` guesses (Apollo Router's
// "by response shape" actual cost). A null or missing field costs nothing beneath it; arguments
// count once per field instance returned.
import { Kind, getNamedType, isAbstractType, valueFromASTUntyped, type GraphQLField, type GraphQLNamedType, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MUTATION_BASE_COST, fieldWeight, inputCost, isIncluded, rootType, type CostContext } from './estimateCost.js';

type Json = Record<string, unknown>;

class ActualWalk {
  private readonly spreading = new Set<string>();

  constructor(private readonly ctx: CostContext) {}

  /** Does a fragment on `condition` apply to an object whose runtime type is `runtime`? */
  private applies(condition: GraphQLNamedType | undefined | null, runtime: GraphQLNamedType): boolean {
    if (!condition || condition === runtime) return true;
    if (isAbstractType(condition) && !isAbstractType(runtime)) return this.ctx.schema.isSubType(condition, runtime as never);
    // Runtime type unknown (no __typename on an abstract field): count the fragment (an upper bound).
    return isAbstractType(runtime);
  }

  object(set: SelectionSetNode | undefined, declared: GraphQLNamedType | undefined | null, value: Json): number {
    if (!set || !declared) return 0;
    const typename = typeof value.__typename === 'string' ? this.ctx.schema.getType(value.__typename) : undefined;
    const runtime = typename ?? declared;
    let cost = 0;
    for (const selection of set.selections) {
      if (!isIncluded(selection, this.ctx.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !('getFields' in runtime)) continue;
        const field = runtime.getFields()[name] as GraphQLField<unknown, unknown> | undefined;
        const key = selection.alias?.value ?? name;
        if (!field || !(key in value)) continue;
        const weight = fieldWeight(this.ctx.annotations, runtime.name, field);
        cost += this.value(selection.selectionSet, getNamedType(field.type), weight, value[key]);
        for (const arg of selection.arguments ?? []) {
          const definition = field.args.find((a) => a.name === arg.name.value);
          if (!definition) continue;
          const argWeight = this.ctx.annotations.argumentWeight(runtime.name, field.name, definition.name) ?? this.ctx.annotations.typeWeight(getNamedType(definition.type).name);
          cost += inputCost(this.ctx, valueFromASTUntyped(arg.value, this.ctx.variables), definition.type, argWeight);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.ctx.schema.getType(selection.typeCondition.name.value) : runtime;
        if (this.applies(condition, runtime)) cost += this.object(selection.selectionSet, runtime, value);
      } else {
        const fragment = this.ctx.fragments.get(selection.name.value);
        if (!fragment || this.spreading.has(fragment.name.value)) continue;
        if (!this.applies(this.ctx.schema.getType(fragment.typeCondition.name.value), runtime)) continue;
        this.spreading.add(fragment.name.value);
        cost += this.object(fragment.selectionSet, runtime, value);
        this.spreading.delete(fragment.name.value);
      }
    }
    return cost;
  }

  private value(set: SelectionSetNode | undefined, type: GraphQLNamedType, weight: number, value: unknown): number {
    if (value === null || value === undefined) return 0;
    if (Array.isArray(value)) {
      let cost = 0;
      for (const item of value) cost += this.value(set, type, weight, item);
      return cost;
    }
    if (set && typeof value === 'object') return weight + this.object(set, type, value as Json);
    return weight;
  }
}

/** Actual cost of `operation` given the `data` it answered (partial data counts what is there). */
export function actualCost(ctx: CostContext, operation: OperationDefinitionNode, data: unknown): number {
  const base = operation.operation === 'mutation' ? MUTATION_BASE_COST : 0;
  if (!data || typeof data !== 'object') return base;
  return base + new ActualWalk(ctx).object(operation.selectionSet, rootType(ctx.schema, operation), data as Json);
}
