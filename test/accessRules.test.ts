// Every subgraph's access rules match its schema exactly (platform/src/access.ts): every object type
// and root field has a rule, and no rule names something the schema lacks. Start-up and
// `npm run compose` refuse a subgraph otherwise; this test says so before either runs.
import { missingAccessRules, unknownAccessRules } from '../platform/src/access.js';
import { subgraphs } from '../app/src/subgraphRegistry.js';

test.each(subgraphs.map((s) => [s.name, s] as const))('subgraph %s declares an access rule for every type and root field, and none for what does not exist', (_name, module) => {
  expect({ missing: missingAccessRules(module.typeDefs, module.access), unknown: unknownAccessRules(module.typeDefs, module.access) }).toEqual({ missing: [], unknown: [] });
});
