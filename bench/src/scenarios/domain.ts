import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../federation/benchmarkData.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

/**
 * junction's own stack with seeded data. Needs the platform's gateway and the commerce subgraph;
 * until both exist the section says why it has no numbers.
 */
export async function runDomainScenario(_options: ScenarioOptions): Promise<ScenarioResult> {
  const needed = ['gateway/src/main.ts', 'subgraphs/commerce/src/server.ts'];
  const missing = needed.filter((f) => !existsSync(path.join(repoRoot, f)));
  if (missing.length > 0) {
    return {
      markdown:
        `No figures yet: this scenario drives junction's real stack (gateway with auth and rate limits, commerce and auth subgraphs, embedded MongoDB) ` +
        `and those parts have not landed (missing: ${missing.map((m) => `\`${m}\``).join(', ')}). ` +
        'When they exist it measures a federated query across commerce and auth entities, `GET /v2/orders?...` through the REST adapter against the same GraphQL operation (target: REST ≤ 1.2× the GraphQL cost), and database round trips per request counted with the driver\'s command monitoring for 10 and 100 items (target: one per entity type, whatever the list length).',
    };
  }
  return { markdown: 'The stack exists but this scenario has not been wired to it yet.' };
}
