// The observability subgraph's collections and indexes (it is their sole owner; the dispatcher is
// part of this domain and uses the same module).
import type { Collection, Db } from 'mongodb';
import { ensureEventIndexes } from '../../../platform/src/events/outbox.js';
import type { Principal } from '../../../platform/src/principal.js';
import type { WebhookDeliveryDocument, WebhookEndpointDocument } from './models.js';

export const WEBHOOK_ENDPOINTS = 'webhook_endpoints';
export const WEBHOOK_DELIVERIES = 'webhook_deliveries';

export function endpoints(db: Db): Collection<WebhookEndpointDocument> {
  return db.collection<WebhookEndpointDocument>(WEBHOOK_ENDPOINTS);
}

export function deliveries(db: Db): Collection<WebhookDeliveryDocument> {
  return db.collection<WebhookDeliveryDocument>(WEBHOOK_DELIVERIES);
}

export function tenant(principal: Principal): { accountId: string; mode: Principal['mode'] } {
  return { accountId: principal.accountId, mode: principal.mode };
}

export async function ensureIndexes(db: Db): Promise<void> {
  await ensureEventIndexes(db);
  await endpoints(db).createIndexes([
    { key: { accountId: 1, mode: 1, createdAt: -1 }, name: 'list_by_created' },
    { key: { accountId: 1, mode: 1, status: 1, events: 1 }, name: 'match_event' },
  ]);
  await deliveries(db).createIndexes([
    // One delivery per event and endpoint, however many dispatchers fan the event out.
    { key: { eventId: 1, endpointId: 1 }, name: 'one_per_event_endpoint', unique: true },
    { key: { status: 1, nextAttemptAt: 1 }, name: 'due' },
    { key: { endpointId: 1, createdAt: -1 }, name: 'by_endpoint' },
  ]);
}
