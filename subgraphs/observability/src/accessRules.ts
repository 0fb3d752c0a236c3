// Who may call each root field. Everything is scoped to the caller's account and mode; managing
// webhooks is a write (readonly keys may list them but not change them). Subscription fields are
// executed by the gateway's subscription server, which authenticates the connection itself.
import type { AccessRules } from '../../../platform/src/access.js';

const write = { scope: 'webhooks:write' } as const;

export const accessRules: AccessRules = {
  'Query.webhooks': 'authenticated',
  'Query.webhook': 'authenticated',
  'Query.webhookDelivery': 'authenticated',
  'Query.event': 'authenticated',
  'Query.events': 'authenticated',
  'Mutation.createWebhook': write,
  'Mutation.updateWebhook': write,
  'Mutation.deleteWebhook': write,
  'Mutation.replayWebhookDelivery': write,
  'Subscription.events': 'authenticated',
  'Subscription.orderUpdated': 'authenticated',
};
