// GraphQL selections of webhook endpoints and deliveries, and their REST JSON (snake_case, as
// seed 002 shows a webhook: `{ id, url, events, status, created_at }`).
import { JunctionError } from '../../../../platform/src/errors.js';
import { jsonObject, type Json } from './jsonObject.js';

export const WEBHOOK_FIELDS = `fragment WebhookFields on WebhookEndpoint { id url events status createdAt updatedAt }`;
export const DELIVERY_FIELDS = `fragment DeliveryFields on WebhookDelivery {
  id webhookId eventId event status nextAttemptAt createdAt updatedAt
  attempts { number startedAt durationMs statusCode error }
}`;


export function webhookJson(value: unknown): Json {
  const w = jsonObject(value);
  return { id: w.id, url: w.url, events: w.events, status: w.status, created_at: w.createdAt, updated_at: w.updatedAt };
}

export function deliveryJson(value: unknown): Json {
  const d = jsonObject(value);
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event: d.event,
    status: d.status,
    next_attempt_at: d.nextAttemptAt,
    attempts: ((d.attempts as Json[] | undefined) ?? []).map((a) => ({ number: a.number, started_at: a.startedAt, duration_ms: a.durationMs, status_code: a.statusCode, error: a.error })),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function foundWebhook(value: unknown, id: string | undefined): unknown {
  if (value === null || value === undefined) throw new JunctionError('RESOURCE_NOT_FOUND', `Webhook ${id ?? ''} does not exist`, { param: 'webhook_id', details: { webhook_id: id } });
  return value;
}
