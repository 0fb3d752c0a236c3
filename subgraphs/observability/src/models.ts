// Stored document shapes of the observability collections. Codegen maps GraphQL type `Xxx` to
// `XxxDocument`. Endpoints and deliveries belong to one account and mode, like every event.
import type { EventDocument as OutboxEvent } from '../../../platform/src/events/outbox.js';
import type { EventType } from '../../../platform/src/events/catalogue.js';
import type { Mode } from '../../../platform/src/principal.js';
import type { StoredSecret } from './webhookSecrets.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventDocument extends OutboxEvent {}

export interface WebhookEndpointDocument {
  _id: string;
  accountId: string;
  mode: Mode;
  url: string;
  events: EventType[];
  /** Kept to sign deliveries (HMAC needs the secret itself): sealed at rest (webhookSecrets.ts); a
   * plain string only in documents written before sealing. Never returned after creation, never
   * logged (the logger redacts `secret` keys). */
  secret: StoredSecret;
  /** The secret's last four characters (what `secretHint` shows); absent in pre-sealing documents. */
  secretHint?: string;
  status: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
  /** Set on delete: the endpoint stops receiving at once; its deliveries stay queryable. */
  deletedAt?: Date;
}

export interface WebhookAttemptDocument {
  number: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryDocument {
  /** Deterministic: `whd_<event id>_<endpoint id>` would be long; a random id plus a unique
   * (eventId, endpointId) index makes creation idempotent. */
  _id: string;
  accountId: string;
  mode: Mode;
  endpointId: string;
  eventId: string;
  event: EventType;
  /** The exact JSON body sent (signed as-is on every attempt, so retries carry identical bytes). */
  body: string;
  status: DeliveryStatus;
  attempts: WebhookAttemptDocument[];
  /** Attempts made since the last (re)schedule; the retry schedule is indexed by it. */
  scheduleIndex: number;
  nextAttemptAt: Date | null;
  /** The dispatcher that holds this delivery and until when (null = free). */
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
