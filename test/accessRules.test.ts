// Every root field of every subgraph declares its access rule (platform/src/access.ts): a field
// without one fails the test run, as composition will refuse it once the identity issue lands.
import { missingAccessRules } from '../platform/src/access.js';
import { subgraphs } from '../app/src/subgraphRegistry.js';

test.each(subgraphs.map((s) => [s.name, s] as const))('subgraph %s declares an access rule for every root field', (_name, module) => {
  expect(missingAccessRules(module.typeDefs, module.access ?? {})).toEqual([]);
});
