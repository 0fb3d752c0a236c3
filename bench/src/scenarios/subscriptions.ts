import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

/** Belongs to the events issue, which has not landed: say so rather than print numbers. */
export async function runSubscriptionsScenario(_options: ScenarioOptions): Promise<ScenarioResult> {
  return {
    markdown:
      'Not built yet: subscriptions (graphql-ws over the events outbox and change streams) arrive with the events issue; ' +
      'this section will then show event delivery throughput and latency from a write to the subscriber. No figures until then.',
  };
}
