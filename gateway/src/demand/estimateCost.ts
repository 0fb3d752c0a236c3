// Static cost of one operation, before planning, per the IBM GraphQL Cost Directive spec as Apollo
// Router computes it (so the schema's annotations mean the same thing there and here):
// - operation: mutation 10, query and subscription 0, plus the cost of its fields;
// - field: count × (weight + cost of its selections) + cost of its arguments, where weight is the
//   field's `@cost`, else its type's `@cost`, else 1 for objects/interfaces/unions and 0 for
//   scalars/enums; count is 1, or for a list the `@listSize` size (the largest slicing argument
//   given or defaulted, else `assumedSize`), a size handed down by the parent's `sizedFields`, or
//   the default list size;
// - argument: its `@cost` (0 by default); an input object 1 plus its fields; a list the sum of its items;
// - `__typename`, introspection and fields skipped by a constant `@skip`/`@include` cost 0.
// Fragments are costed at every spread (memoised, so nested spreads stay linear). Fields the schema
// does not know cost 0: validation refuses the document anyway.
import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  valueFromASTUntyped,
  type ASTNode,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostAnnotations } from './CostAnnotations.js';
import { DemandRefusalError, refuse } from './DemandRefusal.js';

export interface CostContext {
  schema: GraphQLSchema;
  annotations: CostAnnotations;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Request variables merged over the operation's variable defaults. */
  variables: Record<string, unknown>;
  defaultListSize: number;
}

/** A `@listSize` resolved against one field of the operation. */
interface SizedList {
  expected: number | undefined;
  sizedFields: readonly string[];
}

export const MUTATION_BASE_COST = 10;

/** The variables a cost walk sees: the request's, over the operation's `$x: T = default`s. */
export function variablesWithDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) out[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return { ...out, ...(variables ?? {}) };
}

/** False when a `@skip(if: true)` or `@include(if: false)` removes the node. */
export function isIncluded(node: { directives?: readonly DirectiveNode[] | undefined }, variables: Record<string, unknown>): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    const value = arg ? valueFromASTUntyped(arg.value, variables) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}

function isListField(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(getNullableType(field.type));
}

/** Weight of the field itself: its `@cost`, else its type's, else 1 for composite types and 0 for leaves. */
export function fieldWeight(annotations: CostAnnotations, parent: string, field: GraphQLField<unknown, unknown>): number {
  const named = getNamedType(field.type);
  return annotations.fieldWeight(parent, field.name) ?? annotations.typeWeight(named.name) ?? (isCompositeType(named) ? 1 : 0);
}

function resolveListSize(ctx: CostContext, parent: string, field: GraphQLField<unknown, unknown>, node: FieldNode): SizedList | undefined {
  const annotation = ctx.annotations.listSize(parent, field.name);
  if (!annotation) return undefined;
  const sizes = new Map<string, number>();
  for (const name of annotation.slicingArguments) {
    const definition = field.args.find((a) => a.name === name);
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? valueFromASTUntyped(given.value, ctx.variables) : undefined;
    const chosen = value ?? definition?.defaultValue;
    if (typeof chosen === 'number' && Number.isFinite(chosen)) sizes.set(name, Math.max(0, Math.floor(chosen)));
  }
  if (annotation.slicingArguments.length > 0 && annotation.requireOneSlicingArgument && sizes.size !== 1) {
    throw new DemandRefusalError(
      refuse('SLICING_ARGUMENT_REQUIRED', `Field "${parent}.${field.name}" needs exactly one of its slicing arguments (${annotation.slicingArguments.join(', ')}); found ${sizes.size}.`, {
        field: `${parent}.${field.name}`,
        slicingArguments: annotation.slicingArguments,
        found: sizes.size,
      }),
    );
  }
  const expected = sizes.size > 0 ? Math.max(...sizes.values()) : annotation.assumedSize;
  return { expected, sizedFields: annotation.sizedFields };
}

/** Cost of an argument or input value (Apollo Router's `score_argument`, on the coerced-untyped value). */
export function inputCost(ctx: CostContext, value: unknown, type: GraphQLInputType, weight: number | undefined): number {
  if (value === null || value === undefined) return 0;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    let cost = weight ?? 0;
    for (const item of Array.isArray(value) ? value : [value]) cost += inputCost(ctx, item, nullable.ofType, weight);
    return cost;
  }
  if (isInputObjectType(nullable) && typeof value === 'object') {
    let cost = weight ?? 1;
    const fields = nullable.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (!field) continue;
      const fieldWeight = ctx.annotations.inputFieldWeight(nullable.name, name) ?? ctx.annotations.typeWeight(getNamedType(field.type).name);
      cost += inputCost(ctx, fieldValue, field.type, fieldWeight);
    }
    return cost;
  }
  return weight ?? 0;
}

function argumentsCost(ctx: CostContext, parent: string, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  let cost = 0;
  for (const arg of node.arguments ?? []) {
    const definition = field.args.find((a) => a.name === arg.name.value);
    if (!definition) continue;
    const weight = ctx.annotations.argumentWeight(parent, field.name, definition.name) ?? ctx.annotations.typeWeight(getNamedType(definition.type).name);
    cost += inputCost(ctx, valueFromASTUntyped(arg.value, ctx.variables), definition.type, weight);
  }
  return cost;
}

class CostWalk {
  private readonly memo = new Map<string, number>();
  private readonly spreading = new Set<string>();

  constructor(private readonly ctx: CostContext) {}

  selectionSet(set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined | null, sized: SizedList | undefined): number {
    if (!set || !parent) return 0;
    let cost = 0;
    for (const selection of set.selections) {
      if (!isIncluded(selection, this.ctx.variables)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          cost += this.field(selection, parent, sized);
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.ctx.schema.getType(selection.typeCondition.name.value) : parent;
          cost += this.selectionSet(selection.selectionSet, type, sized);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          cost += this.spread(selection.name.value, sized);
          break;
      }
    }
    return cost;
  }

  private spread(name: string, sized: SizedList | undefined): number {
    const key = sized ? `${name}|${sized.expected}|${sized.sizedFields.join(',')}` : name;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const fragment = this.ctx.fragments.get(name);
    // A cycle is invalid GraphQL (NoFragmentCyclesRule refuses it); cost it 0 rather than loop.
    if (!fragment || this.spreading.has(name)) return 0;
    this.spreading.add(name);
    const cost = this.selectionSet(fragment.selectionSet, this.ctx.schema.getType(fragment.typeCondition.name.value), sized);
    this.spreading.delete(name);
    this.memo.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLNamedType, sized: SizedList | undefined): number {
    const name = node.name.value;
    if (name.startsWith('__') || !('getFields' in parent)) return 0;
    const field = parent.getFields()[name] as GraphQLField<unknown, unknown> | undefined;
    if (!field) return 0;
    const listSize = resolveListSize(this.ctx, parent.name, field, node);
    let count = 1;
    if (isListField(field)) {
      const fromParent = sized?.sizedFields.includes(name) ? sized.expected : undefined;
      count = fromParent ?? listSize?.expected ?? this.ctx.defaultListSize;
    }
    const typeCost = fieldWeight(this.ctx.annotations, parent.name, field) + this.selectionSet(node.selectionSet, getNamedType(field.type), listSize);
    return count * typeCost + argumentsCost(this.ctx, parent.name, field, node);
  }
}

export function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined | null {
  return schema.getRootType(operation.operation);
}

/** The estimated cost of `operation`; throws DemandRefusalError (SLICING_ARGUMENT_REQUIRED). */
export function estimateCost(ctx: CostContext, operation: OperationDefinitionNode): number {
  const base = operation.operation === 'mutation' ? MUTATION_BASE_COST : 0;
  return base + new CostWalk(ctx).selectionSet(operation.selectionSet, rootType(ctx.schema, operation), undefined);
}

export function fragmentsOf(document: { definitions: readonly ASTNode[] }): Map<string, FragmentDefinitionNode> {
  const out = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) out.set(definition.name.value, definition);
  }
  return out;
}
