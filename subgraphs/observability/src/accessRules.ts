// Who may read and change events and webhooks (platform/src/access.ts): webhooks:read to read,
// webhooks:write to manage endpoints (readonly keys may list them, not change them). The order an
// event is about is commerce data: `Event.order` also needs commerce:read (null + FORBIDDEN
// otherwise), as does the Order stub this subgraph resolves. Subscription fields are served by the
// gateway, which resolves each payload through `Query.event`/`Query.order` and so these rules.
import type { AccessRules } from '../../../platform/src/access.js';

const read = { scope: 'webhooks:read' } as const;
const write = { scope: 'webhooks:write' } as const;

export const accessRules: AccessRules = {
  Event: read,
  'Event.order': { scope: ['webhooks:read', 'commerce:read'] },
  Order: { scope: 'commerce:read' },
  WebhookEndpoint: read,
  CreatedWebhook: read,
  WebhookDelivery: read,
  WebhookAttempt: read,
  DeleteWebhookPayload: read,
  'Query.webhooks': read,
  'Query.webhook': read,
  'Query.webhookDelivery': read,
  'Query.event': read,
  'Query.events': read,
  'Mutation.createWebhook': write,
  'Mutation.updateWebhook': write,
  'Mutation.deleteWebhook': write,
  'Mutation.replayWebhookDelivery': write,
  'Subscription.events': read,
  'Subscription.orderUpdated': { scope: 'commerce:read' },
};
