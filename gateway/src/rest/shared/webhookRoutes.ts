// The webhook routes every surface shares (register, list, get, update, delete, deliveries with
// their attempts, replay), relative to `base` (`/webhooks`, or '' for a table mounted at
// /webhooks itself). Each surface differs only in its list envelope and error format.
import type { BodySpec, RestRoute } from '../RestRoute.js';
import { DELIVERY_FIELDS, deliveryJson, foundWebhook, WEBHOOK_FIELDS, webhookJson } from './webhookJson.js';

export interface WebhookRouteOptions {
  /** Path of the collection relative to the API base: `/webhooks`, or '' when mounted there. */
  base: string;
  /** Operation name prefix, unique per surface (`TechCorpV2`). */
  name: string;
  /** Wraps a list of items in the surface's list envelope. */
  list: (items: unknown[]) => unknown;
}

const BODY: BodySpec = {
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string' } },
  secret: { type: 'string' },
};

export function webhookRoutes({ base, name, list }: WebhookRouteOptions): RestRoute[] {
  const one = `${base}/:webhook_id`;
  return [
    {
      method: 'POST',
      path: base || '/',
      operationName: `${name}CreateWebhook`,
      document: `mutation ${name}CreateWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { ...WebhookFields } } } ${WEBHOOK_FIELDS}`,
      body: BODY,
      variables: (req) => ({ input: { url: req.body?.url, events: req.body?.events, secret: req.body?.secret } }),
      // The secret is echoed only when junction generated it: it is shown this once.
      respond: (data, req) => {
        const created = data.createWebhook as { secret: string; webhook: unknown };
        return { status: 201, body: { ...webhookJson(created.webhook), ...(req.body?.secret === undefined ? { secret: created.secret } : {}) } };
      },
    },
    {
      method: 'GET',
      path: base || '/',
      operationName: `${name}ListWebhooks`,
      document: `query ${name}ListWebhooks { webhooks { ...WebhookFields } } ${WEBHOOK_FIELDS}`,
      variables: () => ({}),
      respond: (data) => ({ status: 200, body: list((data.webhooks as unknown[]).map(webhookJson)) }),
    },
    {
      method: 'GET',
      path: one,
      operationName: `${name}GetWebhook`,
      document: `query ${name}GetWebhook($id: ID!) { webhook(id: $id) { ...WebhookFields } } ${WEBHOOK_FIELDS}`,
      variables: (req) => ({ id: req.params.webhook_id }),
      respond: (data, req) => ({ status: 200, body: webhookJson(foundWebhook(data.webhook, req.params.webhook_id)) }),
    },
    {
      method: 'PATCH',
      path: one,
      operationName: `${name}UpdateWebhook`,
      document: `mutation ${name}UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { ...WebhookFields } } ${WEBHOOK_FIELDS}`,
      body: { ...BODY, status: { type: 'string', enum: ['active', 'disabled'] } },
      variables: (req) => ({ id: req.params.webhook_id, input: { ...req.body } }),
      respond: (data) => ({ status: 200, body: webhookJson(data.updateWebhook) }),
    },
    {
      method: 'DELETE',
      path: one,
      operationName: `${name}DeleteWebhook`,
      document: `mutation ${name}DeleteWebhook($id: ID!) { deleteWebhook(id: $id) { id deleted } }`,
      variables: (req) => ({ id: req.params.webhook_id }),
      respond: () => ({ status: 204 }),
    },
    {
      method: 'GET',
      path: `${one}/deliveries`,
      operationName: `${name}ListWebhookDeliveries`,
      document: `query ${name}ListWebhookDeliveries($id: ID!, $status: WebhookDeliveryStatus, $limit: Int) {
        webhook(id: $id) { deliveries(status: $status, limit: $limit) { ...DeliveryFields } }
      } ${DELIVERY_FIELDS}`,
      query: { status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] }, limit: { type: 'integer', min: 1, max: 100 } },
      variables: (req) => ({ id: req.params.webhook_id, status: req.query.status, limit: req.query.limit ?? 20 }),
      respond: (data, req) => {
        const webhook = foundWebhook(data.webhook, req.params.webhook_id) as { deliveries: unknown[] };
        return { status: 200, body: list(webhook.deliveries.map(deliveryJson)) };
      },
    },
    {
      method: 'POST',
      path: `${one}/deliveries/:delivery_id/replay`,
      operationName: `${name}ReplayWebhookDelivery`,
      // The pair is checked by the subgraph before it reschedules anything.
      document: `mutation ${name}ReplayWebhookDelivery($id: ID!, $webhookId: ID!) { replayWebhookDelivery(id: $id, webhookId: $webhookId) { ...DeliveryFields } } ${DELIVERY_FIELDS}`,
      variables: (req) => ({ id: req.params.delivery_id, webhookId: req.params.webhook_id }),
      respond: (data) => {
        const delivery = data.replayWebhookDelivery;
        // 202: accepted for delivery; the dispatcher sends it within moments.
        return { status: 202, body: deliveryJson(delivery) };
      },
    },
  ];
}
