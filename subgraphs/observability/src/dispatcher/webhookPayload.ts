// What a receiver gets: the JSON body the seeds show — `{ id, event, timestamp, data }` — and its
// signature, `sha256=<hex HMAC-SHA256 of the exact raw body>` (seed 003's `verifyWebhook`, seed
// 001's `verify_signature`). Seed 001 also pictures a `signature` field inside the body; a body
// cannot carry its own HMAC, so the signature travels only in `X-TechCorp-Signature`.
import { createHmac } from 'node:crypto';
import type { EventDocument } from '../../../../platform/src/events/outbox.js';
import { isoSeconds } from '../isoSeconds.js';

export function webhookBody(event: EventDocument): string {
  return JSON.stringify({ id: event._id, event: event.type, timestamp: isoSeconds(event.createdAt), data: event.data });
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
