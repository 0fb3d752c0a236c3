// Field requirements, checked like composition checks the schema: every object type and root field
// declares what it needs (start-up and npm run compose refuse otherwise), no rule names something
// that does not exist, and every scope a rule asks for is one a key or token can actually hold.
import { parse } from 'graphql';
import { missingAccessRules, unknownAccessRules } from '../../platform/src/access.js';
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { subgraphs } from '../../app/src/subgraphRegistry.js';
import { KNOWN_SCOPES } from '../../subgraphs/auth/src/scopes.js';
import { startStack } from '../support/startStack.js';

test('no type or root field of any subgraph lacks a declared requirement', () => {
  expect(subgraphs.flatMap((m) => missingAccessRules(m.typeDefs, m.access).map((f) => `${m.name}: ${f}`))).toEqual([]);
});

test.each(subgraphs.map((s) => [s.name, s] as const))('subgraph %s: every rule names a real type or field and known scopes', (_name, module) => {
  expect(unknownAccessRules(module.typeDefs, module.access)).toEqual([]);
  for (const [coordinate, rule] of Object.entries(module.access)) {
    if (typeof rule !== 'object') continue;
    for (const scope of typeof rule.scope === 'string' ? [rule.scope] : rule.scope) expect({ coordinate, scope, known: KNOWN_SCOPES.includes(scope) }).toEqual({ coordinate, scope, known: true });
  }
});

test('junction refuses to start a subgraph with a type or field that has no rule, naming it', async () => {
  const leaky: SubgraphModule = {
    name: 'leaky',
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Secret { value: String! }
      type Query { secret: Secret leak: String }
    `),
    resolvers: { Query: { secret: () => ({ value: 'x' }), leak: () => 'x' } } as never,
    access: { 'Query.secret': 'authenticated' },
    createContext: (base) => base,
    ensureIndexes: async () => undefined,
  };
  await expect(startStack({ modules: [...subgraphs, leaky] })).rejects.toThrow(/leaky: Secret has no access rule[\s\S]*leaky: Query\.leak has no access rule/);
}, 120_000);
