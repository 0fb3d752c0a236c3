// Field requirements, checked like composition checks the schema: every root field declares what
// it needs (npm run compose refuses otherwise), no rule names a field that does not exist, and every
// scope a rule asks for is one a key or token can actually hold.
import { Kind } from 'graphql';
import { missingAccessRules } from '../../platform/src/access.js';
import { subgraphs } from '../../app/src/subgraphRegistry.js';
import { KNOWN_SCOPES } from '../../subgraphs/auth/src/scopes.js';

test('no root field of any subgraph lacks a declared requirement (npm run compose refuses it too)', () => {
  expect(subgraphs.flatMap((m) => missingAccessRules(m.typeDefs, m.access ?? {}).map((f) => `${m.name}: ${f}`))).toEqual([]);
});

test.each(subgraphs.map((s) => [s.name, s] as const))('subgraph %s: every rule names a real root field and a known scope', (_name, module) => {
  const fields = new Set<string>();
  for (const def of module.typeDefs.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) for (const f of def.fields ?? []) fields.add(`${def.name.value}.${f.name.value}`);
  }
  for (const [field, rule] of Object.entries(module.access ?? {})) {
    expect({ field, exists: fields.has(field) }).toEqual({ field, exists: true });
    if (typeof rule === 'object') expect({ field, scope: KNOWN_SCOPES.includes(rule.scope) }).toEqual({ field, scope: true });
  }
});
