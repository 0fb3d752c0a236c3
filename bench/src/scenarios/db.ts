import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../federation/benchmarkData.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

/** The embedded database's own benchmark, provided by its issue as `embedded-mongo/bench/dbBench.ts`. */
export async function runDbScenario(_options: ScenarioOptions): Promise<ScenarioResult> {
  const file = path.join(repoRoot, 'embedded-mongo/bench/dbBench.ts');
  if (!existsSync(file)) {
    return { markdown: 'No figures: `embedded-mongo/bench/dbBench.ts` (the embedded database issue\'s benchmark) does not exist yet.' };
  }
  const mod = (await import(pathToFileURL(file).href)) as { runDbBench(): Promise<{ markdown: string }> };
  return { markdown: (await mod.runDbBench()).markdown };
}
