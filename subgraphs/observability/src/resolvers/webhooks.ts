// Webhook endpoints of the caller's account and mode: create (secret returned once), list, get,
// update, delete. A deleted endpoint stops receiving at once; its deliveries stay queryable.
import { JunctionError } from '../../../../platform/src/errors.js';
import { newId } from '../../../../platform/src/ids.js';
import type { Context } from '../context.js';
import type { WebhookEndpointDocument } from '../models.js';
import { endpoints, tenant } from '../store.js';
import { sealSecret, webhookSecretBox } from '../webhookSecrets.js';
import { generateSecret, validateEvents, validateSecret, validateUrl } from '../webhookInput.js';

/** Endpoints per account and mode: enough for any integration, bounded fan-out per event. */
export const MAX_ENDPOINTS = 100;

interface CreateInput {
  url?: string | null;
  events?: readonly string[] | null;
  secret?: string | null;
}

interface UpdateInput extends CreateInput {
  status?: 'active' | 'disabled' | null;
}

function notFound(id: string): JunctionError {
  return new JunctionError('RESOURCE_NOT_FOUND', `Webhook ${id} does not exist`, { param: 'webhook_id', details: { webhook_id: id } });
}

export async function createWebhook(ctx: Context, input: CreateInput): Promise<{ webhook: WebhookEndpointDocument; secret: string }> {
  const url = validateUrl(input.url, ctx.config.events.allowLoopback);
  const events = validateEvents(input.events);
  const secret = validateSecret(input.secret) ?? generateSecret();
  const scope = tenant(ctx.principal);
  const count = await endpoints(ctx.db).countDocuments({ ...scope, deletedAt: { $exists: false } });
  if (count >= MAX_ENDPOINTS) throw new JunctionError('UNPROCESSABLE', `At most ${MAX_ENDPOINTS} webhooks per account`, { param: 'url' });
  const now = new Date();
  const webhook: WebhookEndpointDocument = { _id: newId('wh'), ...scope, url, events, ...sealSecret(webhookSecretBox(ctx.config.principalSecret), secret), status: 'active', createdAt: now, updatedAt: now };
  await endpoints(ctx.db).insertOne(webhook);
  return { webhook, secret };
}

export async function listWebhooks(ctx: Context): Promise<WebhookEndpointDocument[]> {
  return endpoints(ctx.db).find({ ...tenant(ctx.principal), deletedAt: { $exists: false } }).sort({ createdAt: -1 }).limit(MAX_ENDPOINTS).toArray();
}

export async function getWebhook(ctx: Context, id: string): Promise<WebhookEndpointDocument | null> {
  return endpoints(ctx.db).findOne({ _id: id, ...tenant(ctx.principal), deletedAt: { $exists: false } });
}

export async function updateWebhook(ctx: Context, id: string, input: UpdateInput): Promise<WebhookEndpointDocument> {
  const set: Partial<WebhookEndpointDocument> = { updatedAt: new Date() };
  if (input.url !== undefined) set.url = validateUrl(input.url, ctx.config.events.allowLoopback);
  if (input.events !== undefined) set.events = validateEvents(input.events);
  if (input.secret !== undefined && input.secret !== null) Object.assign(set, sealSecret(webhookSecretBox(ctx.config.principalSecret), validateSecret(input.secret)!));
  if (input.status !== undefined && input.status !== null) set.status = input.status;
  const updated = await endpoints(ctx.db).findOneAndUpdate({ _id: id, ...tenant(ctx.principal), deletedAt: { $exists: false } }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw notFound(id);
  return updated;
}

export async function deleteWebhook(ctx: Context, id: string): Promise<{ id: string; deleted: boolean }> {
  const now = new Date();
  const result = await endpoints(ctx.db).updateOne({ _id: id, ...tenant(ctx.principal), deletedAt: { $exists: false } }, { $set: { deletedAt: now, status: 'disabled', updatedAt: now } });
  if (result.matchedCount === 0) throw notFound(id);
  return { id, deleted: true };
}

export { notFound as webhookNotFound };
