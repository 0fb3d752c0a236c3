// Deliveries: queryable per endpoint with every attempt, and replayable (a fresh retry schedule,
// due now; the body — and so the event id and signature — stays the same).
import { JunctionError } from '../../../../platform/src/errors.js';
import type { Context } from '../context.js';
import type { DeliveryStatus, WebhookDeliveryDocument } from '../models.js';
import { deliveries, endpoints, tenant } from '../store.js';
import { webhookNotFound } from './webhooks.js';

export async function listDeliveries(ctx: Context, endpointId: string, status: DeliveryStatus | null | undefined, limit: number): Promise<WebhookDeliveryDocument[]> {
  if (limit < 1 || limit > 100) throw new JunctionError('INVALID_REQUEST', 'limit must be between 1 and 100', { param: 'limit' });
  return deliveries(ctx.db)
    .find({ endpointId, ...tenant(ctx.principal), ...(status ? { status } : {}) })
    .sort({ createdAt: -1 })
    .limit(limit)
    .toArray();
}

export async function getDelivery(ctx: Context, id: string): Promise<WebhookDeliveryDocument | null> {
  return deliveries(ctx.db).findOne({ _id: id, ...tenant(ctx.principal) });
}

/** Check, then act: the webhook (when named) and the delivery must be the caller's and belong
 * together before anything is rescheduled; the update itself is conditioned on the same pair. */
export async function replayDelivery(ctx: Context, id: string, webhookId?: string | null): Promise<WebhookDeliveryDocument> {
  const scope = tenant(ctx.principal);
  const missingDelivery = () => new JunctionError('RESOURCE_NOT_FOUND', `Delivery ${id} does not exist`, { param: 'delivery_id', details: { delivery_id: id } });
  const delivery = await deliveries(ctx.db).findOne({ _id: id, ...scope, ...(webhookId ? { endpointId: webhookId } : {}) }, { projection: { endpointId: 1 } });
  if (webhookId && !delivery && !(await endpoints(ctx.db).findOne({ _id: webhookId, ...scope, deletedAt: { $exists: false } }, { projection: { _id: 1 } }))) {
    throw webhookNotFound(webhookId);
  }
  if (!delivery) throw missingDelivery();
  const endpoint = await endpoints(ctx.db).findOne({ _id: delivery.endpointId, ...scope, deletedAt: { $exists: false } }, { projection: { _id: 1 } });
  if (!endpoint) throw webhookNotFound(delivery.endpointId);
  const now = new Date();
  const replayed = await deliveries(ctx.db).findOneAndUpdate(
    { _id: id, ...scope, endpointId: delivery.endpointId },
    { $set: { status: 'pending', scheduleIndex: 0, nextAttemptAt: now, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!replayed) throw missingDelivery();
  return replayed;
}
