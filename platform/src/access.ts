// Field access rules, declared per subgraph for every root field (Query/Mutation). The subgraph
// server wraps each root resolver with its rule, and `missingAccessRules` lists root fields without
// one so start-up (and, later, composition) can refuse them. Entity fields inherit their root's rule:
// every request already carries an authenticated principal.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { Kind, type DocumentNode } from 'graphql';
import { JunctionError } from './errors.js';
import { canWrite, hasScope, type Principal } from './principal.js';

export type AccessRule =
  /** Any authenticated principal (the default expectation for a client-facing field). */
  | 'authenticated'
  /** Only the gateway's own service principal (internal fields). */
  | 'service'
  /** A principal holding this scope (`*` holds all). */
  | { scope: string };

/** `{ 'Query.viewer': 'authenticated', 'Mutation.createApiKey': { scope: 'admin' } }` */
export type AccessRules = Record<string, AccessRule>;

/** The scope an `authenticated` query of this subgraph needs (per-domain read scopes of keys and
 * tokens): `<subgraph>:read`, webhooks for observability; none for auth (its own rules decide).
 * `*`, `read`, `write` and the domain's write scope all include it (principal.ts#hasScope). */
export function readScopeOf(subgraph: string): string | undefined {
  if (subgraph === 'auth') return undefined;
  return subgraph === 'observability' ? 'webhooks:read' : `${subgraph}:read`;
}

export function checkAccess(rule: AccessRule, principal: Principal, isMutation: boolean, readScope?: string): void {
  if (rule === 'service') {
    if (principal.keyType !== 'service') throw new JunctionError('FORBIDDEN', 'This field is internal');
    return;
  }
  if (rule === 'authenticated' && !isMutation && readScope && principal.keyType !== 'service' && !hasScope(principal, readScope)) {
    throw new JunctionError('FORBIDDEN', `This operation needs the ${readScope} scope`);
  }
  if (isMutation && !canWrite(principal)) throw new JunctionError('FORBIDDEN', 'This API key may only read');
  if (typeof rule === 'object' && !hasScope(principal, rule.scope)) {
    throw new JunctionError('FORBIDDEN', `This operation needs the ${rule.scope} scope`);
  }
}

/** Root fields of the SDL (`Query.x`, `Mutation.y`) that have no rule. */
export function missingAccessRules(typeDefs: DocumentNode, rules: AccessRules): string[] {
  const missing: string[] = [];
  for (const def of typeDefs.definitions) {
    if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && (def.name.value === 'Query' || def.name.value === 'Mutation' || def.name.value === 'Subscription')) {
      for (const field of def.fields ?? []) {
        const key = `${def.name.value}.${field.name.value}`;
        if (!rules[key]) missing.push(key);
      }
    }
  }
  return missing;
}

/** Wraps root resolvers so each checks its rule before running. */
export function applyAccessRules<C extends { principal: Principal }>(resolvers: GraphQLResolverMap<C>, rules: AccessRules, readScope?: string): GraphQLResolverMap<C> {
  const out: GraphQLResolverMap<C> = { ...resolvers };
  for (const typeName of ['Query', 'Mutation'] as const) {
    const fields = resolvers[typeName] as Record<string, unknown> | undefined;
    if (!fields) continue;
    const wrapped: Record<string, unknown> = {};
    for (const [field, resolver] of Object.entries(fields)) {
      const rule = rules[`${typeName}.${field}`];
      if (!rule || typeof resolver !== 'function') {
        wrapped[field] = resolver;
        continue;
      }
      wrapped[field] = (parent: unknown, args: unknown, context: C, info: unknown) => {
        checkAccess(rule, context.principal, typeName === 'Mutation', readScope);
        return (resolver as (...a: unknown[]) => unknown)(parent, args, context, info);
      };
    }
    (out as Record<string, unknown>)[typeName] = wrapped;
  }
  return out;
}
