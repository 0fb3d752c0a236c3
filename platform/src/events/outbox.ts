// The outbox: every state change a webhook or subscription can report is written here in the same
// transaction as the change (pass the caller's session). Consumers read it through change streams.
import type { ClientSession, Db } from 'mongodb';
import { newId } from '../ids.js';
import type { Mode } from '../principal.js';

export const EVENTS_COLLECTION = 'events';

export interface EventDocument {
  _id: string;
  type: string;
  accountId: string;
  mode: Mode;
  /** The payload the seeds show for this event type. */
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NewEvent {
  type: string;
  accountId: string;
  mode: Mode;
  data: Record<string, unknown>;
}

export async function appendEvent(db: Db, session: ClientSession | undefined, event: NewEvent): Promise<EventDocument> {
  const doc: EventDocument = { _id: newId('evt', 24), type: event.type, accountId: event.accountId, mode: event.mode, data: event.data, createdAt: new Date() };
  await db.collection<EventDocument>(EVENTS_COLLECTION).insertOne(doc, session ? { session } : {});
  return doc;
}

export async function ensureEventIndexes(db: Db): Promise<void> {
  await db.collection(EVENTS_COLLECTION).createIndex({ accountId: 1, mode: 1, createdAt: 1 });
}
export { EVENT_TYPES, EVENT_CATALOGUE, isEventType, type EventType } from './catalogue.js';
