// Events of the caller's account and mode, read from the outbox. `event(id)` is what the gateway's
// subscription server resolves each subscription payload through.
import { JunctionError } from '../../../../platform/src/errors.js';
import { EVENTS_COLLECTION } from '../../../../platform/src/events/outbox.js';
import { eventTypeFromEnum } from '../../../../platform/src/events/catalogue.js';
import type { Context } from '../context.js';
import type { EventDocument } from '../models.js';
import { tenant } from '../store.js';

export async function getEvent(ctx: Context, id: string): Promise<EventDocument | null> {
  return ctx.db.collection<EventDocument>(EVENTS_COLLECTION).findOne({ _id: id, ...tenant(ctx.principal) });
}

export async function listEvents(ctx: Context, types: readonly string[] | null | undefined, limit: number): Promise<EventDocument[]> {
  if (limit < 1 || limit > 100) throw new JunctionError('INVALID_REQUEST', 'limit must be between 1 and 100', { param: 'limit' });
  const names = types?.map((t) => eventTypeFromEnum(t)).filter((t) => t !== undefined);
  return ctx.db
    .collection<EventDocument>(EVENTS_COLLECTION)
    .find({ ...tenant(ctx.principal), ...(names ? { type: { $in: names } } : {}) })
    .sort({ createdAt: -1 })
    .limit(limit)
    .toArray();
}
