import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../federation/benchmarkData.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

interface SubscriptionBenchModule {
  runSubscriptionBench(options?: { subscriberCounts?: number[]; events?: number; webhookDeliveries?: number }): Promise<{ markdown: string }>;
}

/** The events issue's benchmark (`gateway/src/subscriptions/bench/subscriptionBench.ts`), when it exists. */
export async function runSubscriptionsScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const file = path.join(repoRoot, 'gateway/src/subscriptions/bench/subscriptionBench.ts');
  if (!existsSync(file)) {
    return {
      markdown:
        'Not built yet: subscriptions (graphql-ws over the events outbox and change streams) arrive with the events issue; ' +
        'this section will then show event delivery throughput and latency from a write to the subscriber. No figures until then.',
    };
  }
  // Loaded by path at run time: the module belongs to the events issue and may change shape.
  const mod = (await import(pathToFileURL(file).href)) as SubscriptionBenchModule;
  const result = await mod.runSubscriptionBench(options.quick ? { subscriberCounts: [1, 100], events: 10, webhookDeliveries: 100 } : {});
  return { markdown: result.markdown };
}
