// The observability subgraph's resolver map. Subscription fields are listed in the SDL for
// composition and executed by the gateway's subscription server (gateway/src/subscriptions/).
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getDelivery, replayDelivery } from './deliveries.js';
import { getEvent, listEvents } from './events.js';
import { JSONScalar, typeResolvers } from './types.js';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from './webhooks.js';

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  Query: {
    webhooks: (_p, _a, ctx) => listWebhooks(ctx),
    webhook: (_p, { id }, ctx) => getWebhook(ctx, id),
    webhookDelivery: (_p, { id }, ctx) => getDelivery(ctx, id),
    event: (_p, { id }, ctx) => getEvent(ctx, id),
    events: (_p, { types, limit }, ctx) => listEvents(ctx, types, limit ?? 20),
  },
  Mutation: {
    createWebhook: (_p, { input }, ctx) => createWebhook(ctx, input),
    updateWebhook: (_p, { id, input }, ctx) => updateWebhook(ctx, id, input),
    deleteWebhook: (_p, { id }, ctx) => deleteWebhook(ctx, id),
    replayWebhookDelivery: (_p, { id, webhookId }, ctx) => replayDelivery(ctx, id, webhookId),
  },
  ...typeResolvers,
};
