import { runSubscriptionBench } from '../subscriptions/subscriptionBench.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

/** Event delivery throughput and latency, from a domain write to graphql-ws subscribers and webhooks. */
export async function runSubscriptionsScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const result = await runSubscriptionBench(options.quick ? { subscriberCounts: [1, 100], events: 10, webhookDeliveries: 100 } : {});
  return { markdown: result.markdown };
}
