// Demand control over junction's composed supergraph: every limit refused with its code, the
// issue's two flood documents refused before anything runs, every documented REST route accepted on
// the free plan at its largest page, the federation benchmark's query accepted on enterprise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute, type GraphQLError } from 'graphql';
import { createDemandControl, type CheckOptions, type CostExtension, type DemandCheck } from './createDemandControl.js';
import { CostAnnotations } from './CostAnnotations.js';
import { DEMAND_LIMITS } from './demandLimits.js';
import { refusalToGraphQLError } from './DemandRefusal.js';
import { rateLimitUnits } from './rateLimitUnits.js';
import { restApis } from '../rest/apis.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const supergraphSdl = readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8');
const benchmarkDir = '/work/shared/gateway-benchmark';

const demand = createDemandControl({ supergraphSdl });

function code(result: DemandCheck): string {
  return result.ok ? `accepted (cost ${result.estimatedCost})` : result.code;
}

/**
 * check() in front of graphql-js `execute` over the API schema with counting resolvers: what a
 * pipeline does. `calls` counts every root resolver that ran.
 */
function pipeline(control = demand) {
  let calls = 0;
  const user = (i: number) => ({ id: `usr_${i}`, email: `u${i}@example.com`, name: `User ${i}`, status: 'active', plan: 'free', metadata: [], createdAt: '', updatedAt: '' });
  const rootValue = {
    viewer: () => (calls++, { id: 'acc_1', name: 'Acme', plan: 'FREE', createdAt: '', apiKeys: [] }),
    users: (args: { limit: number }) => (calls++, { data: Array.from({ length: Math.min(args.limit, 3) }, (_, i) => user(i)), pagination: { page: 1, limit: args.limit, total: 3, pages: 1 } }),
  };
  return {
    get calls() {
      return calls;
    },
    run(query: string, options: CheckOptions): { checked: DemandCheck; response: { data?: unknown; errors?: readonly GraphQLError[]; extensions?: { cost: CostExtension } } } {
      const checked = control.check(query, options);
      if (!checked.ok) return { checked, response: { errors: [refusalToGraphQLError(checked)] } };
      const response = execute({ schema: control.schema, document: checked.document, rootValue, variableValues: options.variables ?? undefined }) as { data?: unknown };
      return { checked, response: { ...response, extensions: { cost: control.costExtension(checked, response.data) } } };
    },
  };
}

describe('limits, each refused with its code (free plan)', () => {
  const free = (query: string) => code(demand.check(query, { plan: 'free' }));

  test('TOO_MANY_TOKENS: more tokens than the plan allows (parse stops there)', () => {
    const query = `{ viewer { ${'id '.repeat(DEMAND_LIMITS.free.maxTokens)} } }`;
    expect(free(query)).toBe('TOO_MANY_TOKENS');
  });

  test('QUERY_TOO_DEEP: nesting past maxDepth', () => {
    expect(free('{ users { data { orders { data { user { orders { data { user { orders { data { user { id } } } } } } } } } } } }')).toBe('QUERY_TOO_DEEP');
  });

  test('TOO_MANY_ALIASES', () => {
    const aliases = Array.from({ length: DEMAND_LIMITS.free.maxAliases + 1 }, (_, i) => `a${i}: id`).join(' ');
    expect(free(`{ viewer { ${aliases} } }`)).toBe('TOO_MANY_ALIASES');
    // Aliases inside a fragment count at each spread.
    const few = Array.from({ length: 8 }, (_, i) => `a${i}: id`).join(' ');
    expect(free(`fragment F on Account { ${few} } { viewer { ...F } v: viewer { ...F } }`)).toBe('TOO_MANY_ALIASES');
  });

  test('TOO_MANY_DIRECTIVES', () => {
    expect(free(`{ viewer { ${'id @include(if: true) '.repeat(DEMAND_LIMITS.free.maxDirectives + 1)} } }`)).toBe('TOO_MANY_DIRECTIVES');
  });

  test('TOO_MANY_ROOT_FIELDS: duplicates and fragment-spread root fields count', () => {
    expect(free(`{ ${'viewer { id } '.repeat(DEMAND_LIMITS.free.maxRootFields + 1)} }`)).toBe('TOO_MANY_ROOT_FIELDS');
    expect(free(`fragment R on Query { viewer { id } apiKeys { id } identities { id } } { ...R ...R ...R ...R }`)).toBe('TOO_MANY_ROOT_FIELDS');
  });

  test('COST_ESTIMATED_TOO_EXPENSIVE: nested 100-item pages', () => {
    const result = demand.check('{ users(limit: 100) { data { orders(limit: 100) { data { id } } } } }', { plan: 'free' });
    expect(code(result)).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    if (!result.ok) expect(result.details).toEqual({ estimated: 1 + 100 * (1 + 1 + 100), max: DEMAND_LIMITS.free.maxCost, plan: 'free' });
    // The same under a slicing variable.
    expect(code(demand.check('query($n: Int) { users(limit: $n) { data { orders(limit: $n) { data { id } } } } }', { plan: 'free', variables: { n: 100 } }))).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });

  test('GRAPHQL_PARSE_FAILED for a document that does not parse; refusals are 400 GraphQL errors', () => {
    const result = demand.check('{ viewer { id ', { plan: 'free' });
    expect(code(result)).toBe('GRAPHQL_PARSE_FAILED');
    if (!result.ok) {
      expect(result.status).toBe(400);
      expect(refusalToGraphQLError(result).extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    }
  });

  test('a document parsed elsewhere (with locations) is still held to the token limit', async () => {
    const { parse } = await import('graphql');
    expect(code(demand.check(parse(`{ viewer { ${'id '.repeat(DEMAND_LIMITS.free.maxTokens)} } }`), { plan: 'free' }))).toBe('TOO_MANY_TOKENS');
  });

  test('a larger plan accepts what a smaller one refuses', () => {
    const query = '{ users(limit: 100) { data { orders(limit: 40) { data { id } } } } }';
    expect(code(demand.check(query, { plan: 'free' }))).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(demand.check(query, { plan: 'pro' }).ok).toBe(true);
  });
});

describe("the issue's flood documents are refused before anything runs", () => {
  const viewerFlood = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
  const usersFlood = `{ ${Array.from({ length: 1_000 }, (_, i) => `u${i}: users(limit: 100) { data { id email name } }`).join(' ')} }`;

  test('10,000 aliases of viewer { id } (~200 KB): refused on every plan, no resolver called', () => {
    expect(viewerFlood.length).toBeGreaterThan(200_000);
    const p = pipeline();
    for (const plan of ['free', 'starter', 'pro', 'enterprise'] as const) {
      const { checked, response } = p.run(viewerFlood, { plan });
      expect(code(checked)).toBe('TOO_MANY_TOKENS');
      expect(response.errors?.[0]?.extensions.code).toBe('TOO_MANY_TOKENS');
    }
    expect(p.calls).toBe(0);
  });

  test('1,000 aliases of users(limit: 100): refused on every plan, no resolver called', () => {
    const p = pipeline();
    for (const plan of ['free', 'starter', 'pro', 'enterprise'] as const) expect(code(p.run(usersFlood, { plan }).checked)).toBe('TOO_MANY_TOKENS');
    expect(p.calls).toBe(0);
  });

  test('with the token limit lifted, the alias limit and then the cost limit still refuse them', () => {
    const lifted = createDemandControl({ supergraphSdl, apiSchema: demand.schema, limits: { enterprise: { maxTokens: 1_000_000 } } });
    const p = pipeline(lifted);
    expect(code(p.run(viewerFlood, { plan: 'enterprise' }).checked)).toBe('TOO_MANY_ALIASES');
    expect(code(p.run(usersFlood, { plan: 'enterprise' }).checked)).toBe('TOO_MANY_ALIASES');
    const noAliasLimit = createDemandControl({ supergraphSdl, apiSchema: demand.schema, limits: { enterprise: { maxTokens: 1_000_000, maxAliases: 10_000, maxRootFields: 10_000 } } });
    const result = pipeline(noAliasLimit).run(usersFlood, { plan: 'enterprise' }).checked;
    expect(code(result)).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    if (!result.ok) expect(result.details.estimated).toBe(1_000 * (1 + 100));
    expect(p.calls).toBe(0);
  });

  test('an accepted request runs and reports its estimated and actual cost', () => {
    const p = pipeline();
    const { checked, response } = p.run('{ users(limit: 100) { data { id } pagination { total } } }', { plan: 'free' });
    expect(checked.ok).toBe(true);
    expect(p.calls).toBe(1);
    // Estimated: UserPage 1 + 100 users + Pagination 1; actual: 3 users were returned.
    expect(response.extensions?.cost).toEqual({ estimated: 102, actual: 1 + 3 + 1, max: DEMAND_LIMITS.free.maxCost });
    expect(rateLimitUnits(response.extensions!.cost.actual!)).toBe(1);
  });
});

describe('real traffic fits', () => {
  test('every documented REST route, at its largest page (limit=100), is accepted on the free plan', () => {
    const routes = restApis.flatMap((api) => api.routes);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const result = demand.check(route.document, { plan: 'free', variables: { limit: 100, page: 1 }, operationName: route.operationName });
      expect([route.operationName, code(result)]).toEqual([route.operationName, expect.stringMatching(/^accepted/)]);
    }
  });

  test("Apollo Sandbox's introspection query is accepted on the free plan at cost 0", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = demand.check(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }), { plan: 'free' });
    expect(code(result)).toBe('accepted (cost 0)');
  });

  test("the federation benchmark's query is accepted on the enterprise plan (its lists are unannotated: 10 each)", () => {
    const benchmark = createDemandControl({ supergraphSdl: readFileSync(path.join(benchmarkDir, 'supergraph.graphql'), 'utf8') });
    const result = benchmark.check(readFileSync(path.join(benchmarkDir, 'query.graphql'), 'utf8'), { plan: 'enterprise', operationName: 'TestQuery' });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.estimatedCost).toBeLessThanOrEqual(DEMAND_LIMITS.enterprise.maxCost);
      expect(result.operation?.name?.value).toBe('TestQuery');
    }
  });
});

describe('the supergraph keeps the annotations', () => {
  test('composition puts @listSize / @cost of the subgraphs into schema/supergraph.graphql', () => {
    const annotations = CostAnnotations.fromSdl(supergraphSdl);
    expect(annotations.listSize('Query', 'users')).toEqual({ assumedSize: undefined, slicingArguments: ['limit'], sizedFields: ['data'], requireOneSlicingArgument: true });
    expect(annotations.listSize('User', 'metadata')?.assumedSize).toBe(10);
    expect(annotations.listSize('WebhookEndpoint', 'deliveries')?.slicingArguments).toEqual(['limit']);
    expect(annotations.argumentWeight('Query', 'products', 'q')).toBe(5);
  });

  test('a subgraph SDL (federation import, renamed) and a cost link with an alias are read too', () => {
    const subgraph = CostAnnotations.fromSdl(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@listSize", as: "@size" }, "@cost"])
      type Query { a(first: Int): [A!]! @size(slicingArguments: ["first"]) b: Int @cost(weight: 2) }
      type A { id: ID }`);
    expect(subgraph.listSize('Query', 'a')?.slicingArguments).toEqual(['first']);
    expect(subgraph.fieldWeight('Query', 'b')).toBe(2);
    const aliased = CostAnnotations.fromSdl(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price") { query: Query }
      type Query { a: [A!]! @price__listSize(assumedSize: 3) b: Int @price(weight: 4) }
      type A { id: ID }`);
    expect(aliased.listSize('Query', 'a')?.assumedSize).toBe(3);
    expect(aliased.fieldWeight('Query', 'b')).toBe(4);
  });
});

describe('batching policy', () => {
  const op = { query: '{ viewer { id } }' };

  test('up to maxBatchOperations operations, each checked; more is BATCH_TOO_LARGE; an empty batch too', () => {
    const ok = demand.checkBatch(Array.from({ length: DEMAND_LIMITS.free.maxBatchOperations }, () => op), 'free');
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.estimatedCost).toBe(DEMAND_LIMITS.free.maxBatchOperations);
    expect(code(demand.checkBatch(Array.from({ length: DEMAND_LIMITS.free.maxBatchOperations + 1 }, () => op), 'free') as DemandCheck)).toBe('BATCH_TOO_LARGE');
    expect(code(demand.checkBatch([], 'free') as DemandCheck)).toBe('BATCH_TOO_LARGE');
  });

  test('the costs of a batch add up against one maximum', () => {
    const page = { query: '{ users(limit: 100) { data { id metadata { key } } } }' }; // 1 + 100 × 11 = 1,101
    expect(demand.check(page.query, { plan: 'free' }).ok).toBe(true);
    expect(code(demand.checkBatch([page, page], 'free') as DemandCheck)).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });

  test('one bad operation gets its own refusal; the others stay accepted', () => {
    const result = demand.checkBatch([op, { query: '{ viewer { ' }], 'free');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.results.map(code)).toEqual(['accepted (cost 1)', 'GRAPHQL_PARSE_FAILED']);
  });
});

describe('rateLimitUnits', () => {
  test('1 up to 1,000 cost points, then one per started 1,000', () => {
    expect([0, 1, 1_000, 1_001, 24_420].map((c) => rateLimitUnits(c))).toEqual([1, 1, 1, 2, 25]);
  });
});
