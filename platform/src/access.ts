// Access rules: who may read each type and field a subgraph serves, whatever the path into it. A
// root field, an entity reference from another subgraph (`_entities`), a subscription payload and a
// REST route all reach the subgraph as GraphQL, so guarding every field resolver (default resolvers
// included) and every `__resolveReference` covers them all. Declared in subgraphs/<d>/src/accessRules.ts:
//
//   'Order': read                    every field of Order this subgraph resolves, and its entity references
//                                    (every object type needs one)
//   'Order.total': { scope: 'x' }    one field instead of its type's rule
//   'Query.orders': read             every root field has its own rule; a Mutation rule also refuses readonly keys
//
// Fail closed: an object type or root field without a rule, or a rule naming nothing, stops the
// subgraph at start-up and `npm run compose` (assertAccessRules); guardSchema refuses them too.
import { defaultFieldResolver, isObjectType, Kind, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { JunctionError } from './errors.js';
import { canWrite, hasScope, type Principal } from './principal.js';

export type AccessRule =
  /** Any authenticated principal (the caller's data is already filtered to its account and mode). */
  | 'authenticated'
  /** Only the gateway's own service principal (internal fields). */
  | 'service'
  /** A principal holding this scope, or every one of these (`*` holds all; see principal.ts#hasScope). */
  | { scope: string | readonly string[] };

/** Keys are `Type` (all its fields and entity references) or `Type.field` (one field). */
export type AccessRules = Record<string, AccessRule>;

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** The rule that applies to `Type.field`: its own, else (outside the root types) its type's. */
export function ruleFor(rules: AccessRules, type: string, field: string): AccessRule | undefined {
  return rules[`${type}.${field}`] ?? (ROOT_TYPES.has(type) ? undefined : rules[type]);
}

/** Object types of the SDL (definitions and extensions) with their field names. */
function objectTypes(typeDefs: DocumentNode): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const def of typeDefs.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const fields = types.get(def.name.value) ?? new Set<string>();
    for (const f of def.fields ?? []) fields.add(f.name.value);
    types.set(def.name.value, fields);
  }
  return types;
}

/** What lacks a rule: every root field (`Query.x`) and every other object type (`Order`: its rule
 * also guards its entity references, so a type is never covered by field rules alone). */
export function missingAccessRules(typeDefs: DocumentNode, rules: AccessRules): string[] {
  const missing: string[] = [];
  for (const [type, fields] of objectTypes(typeDefs)) {
    if (ROOT_TYPES.has(type)) missing.push(...[...fields].filter((f) => !rules[`${type}.${f}`]).map((f) => `${type}.${f}`));
    else if (!rules[type]) missing.push(type);
  }
  return missing;
}

/** Rules that name no type or field of the SDL (a typo would leave the intended field to its
 * type's rule), or a whole root type (root fields are declared one by one). */
export function unknownAccessRules(typeDefs: DocumentNode, rules: AccessRules): string[] {
  const types = objectTypes(typeDefs);
  return Object.keys(rules).filter((key) => {
    const [type = '', field] = key.split('.');
    return field === undefined ? !types.has(type) || ROOT_TYPES.has(type) : !types.get(type)?.has(field);
  });
}

/** Throws, naming every coordinate, unless the rules cover the SDL exactly. */
export function assertAccessRules(subgraph: string, typeDefs: DocumentNode, rules: AccessRules): void {
  const missing = missingAccessRules(typeDefs, rules);
  const unknown = unknownAccessRules(typeDefs, rules);
  if (missing.length === 0 && unknown.length === 0) return;
  const lines = [...missing.map((c) => `- ${subgraph}: ${c} has no access rule`), ...unknown.map((c) => `- ${subgraph}: rule ${c} names nothing in the schema`)];
  throw new Error(`Access rules do not match the schema (declare them in subgraphs/${subgraph}/src/accessRules.ts):\n${lines.join('\n')}`);
}

/** Why `principal` may not use a field under `rule` (null: it may). */
export function accessDenial(rule: AccessRule, principal: Principal, isMutation: boolean): string | null {
  if (rule === 'service') return principal.keyType === 'service' ? null : 'This field is internal';
  if (isMutation && !canWrite(principal)) return 'This API key may only read';
  if (rule === 'authenticated') return null;
  const scopes = typeof rule.scope === 'string' ? [rule.scope] : rule.scope;
  const lacking = scopes.find((s) => !hasScope(principal, s));
  return lacking === undefined ? null : `This field needs the ${lacking} scope`;
}

export function checkAccess(rule: AccessRule, principal: Principal, isMutation: boolean): void {
  const denial = accessDenial(rule, principal, isMutation);
  if (denial !== null) throw new JunctionError('FORBIDDEN', denial);
}

// Decisions depend only on the principal and the rule, so each is made once per request and kept
// on the context: a list of 1,000 orders costs one check per rule, then an array read per field.
const DECISIONS = Symbol('accessDecisions');
interface Guard {
  index: number;
  rule: AccessRule;
  isMutation: boolean;
}
type GuardedContext = { principal: Principal; [DECISIONS]?: (string | null)[] };

function denialOf(guard: Guard, context: GuardedContext): string | null {
  const decisions = (context[DECISIONS] ??= []);
  let denial = decisions[guard.index];
  if (denial === undefined) denial = decisions[guard.index] = accessDenial(guard.rule, context.principal, guard.isMutation);
  return denial;
}

function enforce(guard: Guard, context: GuardedContext): void {
  const denial = denialOf(guard, context);
  if (denial !== null) throw new JunctionError('FORBIDDEN', denial);
}

type ResolveReference = (reference: unknown, context: GuardedContext, info: unknown) => unknown;

/** A refused reference is a rejected promise, not a throw: _entities resolves a batch in one call,
 * and only that entity (not its neighbours of other types) becomes null + FORBIDDEN. */
function guardReference(guard: Guard, resolveReference: ResolveReference): ResolveReference {
  return (reference, context, info) => {
    const denial = denialOf(guard, context);
    return denial === null ? resolveReference(reference, context, info) : Promise.reject(new JunctionError('FORBIDDEN', denial));
  };
}

/** Wraps every field resolver (default ones included) of every object type the subgraph serves,
 * and every entity's `__resolveReference`, with its rule, in place on a schema built by
 * buildSubgraphSchema. Federation's own `_entities`/`_service` are left as they are: each entity
 * reference is checked by its type's rule. Throws on a field without a rule. */
export function guardSchema(schema: GraphQLSchema, rules: AccessRules): GraphQLSchema {
  const guards = new Map<string, Guard>();
  const guardOf = (rule: AccessRule, isMutation: boolean): Guard => {
    const key = `${isMutation}:${JSON.stringify(rule)}`;
    let guard = guards.get(key);
    if (!guard) guards.set(key, (guard = { index: guards.size, rule, isMutation }));
    return guard;
  };
  const unguarded: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    const isMutation = type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      const rule = ruleFor(rules, type.name, field.name);
      if (!rule) {
        if (type !== schema.getQueryType() || !field.name.startsWith('_')) unguarded.push(`${type.name}.${field.name}`);
        continue;
      }
      const guard = guardOf(rule, isMutation);
      const resolve: GraphQLFieldResolver<unknown, GuardedContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        enforce(guard, context);
        return resolve(source, args, context, info);
      };
    }
    const typeRule = rules[type.name];
    const apollo = type.extensions.apollo as { subgraph?: { resolveReference?: ResolveReference } } | undefined;
    if (typeRule && !ROOT_TYPES.has(type.name)) {
      const guard = guardOf(typeRule, false);
      const resolveReference: ResolveReference = apollo?.subgraph?.resolveReference ?? ((reference) => reference);
      // Where @apollo/subgraph's _entities resolver looks the reference resolver up.
      (type as { extensions: object }).extensions = {
        ...type.extensions,
        apollo: { ...apollo, subgraph: { ...apollo?.subgraph, resolveReference: guardReference(guard, resolveReference) } },
      };
    }
  }
  if (unguarded.length > 0) throw new Error(`Fields without an access rule: ${unguarded.join(', ')}`);
  return schema;
}
