// The webhook dispatcher. Two halves, both safe to run in any number of processes:
// - fan-out: an EventConsumer (persisted resume token) turns each outbox event into one durable
//   delivery document per matching endpoint — idempotent by the unique (eventId, endpointId) index;
// - delivery: due deliveries are claimed with a lease (an atomic findOneAndUpdate), attempted,
//   and the attempt recorded. A dispatcher killed mid-delivery holds the lease until it expires;
//   then any dispatcher delivers it again (the receiver sees the same event id). While a lease
//   runs no other dispatcher touches the delivery, so there is no concurrent double delivery.
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import type { EventDocument } from '../../../../platform/src/events/outbox.js';
import { EventConsumer } from '../../../../platform/src/events/EventConsumer.js';
import type { EventsConfig } from '../../../../platform/src/env.js';
import { newId, randomBase62 } from '../../../../platform/src/ids.js';
import type { Logger } from '../../../../platform/src/logger.js';
import type { WebhookAttemptDocument, WebhookDeliveryDocument } from '../models.js';
import { deliveries, endpoints } from '../store.js';
import type { SecretBox } from '../../../../platform/src/crypto/SecretBox.js';
import { openSecret, sealSecret, webhookSecretBox } from '../webhookSecrets.js';
import { sendWebhook } from './sendWebhook.js';
import { signBody, webhookBody } from './webhookPayload.js';

export const FANOUT_CONSUMER = 'webhook-fanout';

export interface WebhookDispatcherOptions {
  db: Db;
  config: EventsConfig;
  /** The resolved PRINCIPAL_SECRET: the key that opens the sealed signing secrets derives from it. */
  principalSecret: string;
  logger?: Logger | undefined;
}

export class WebhookDispatcher {
  readonly id = `${hostname()}:${process.pid}:${randomBase62(6)}`;
  private readonly consumer: EventConsumer;
  private running = false;
  private inflight = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  /** Set when work appeared while no worker was sleeping (all were claiming or delivering). */
  private woken = false;
  private loop: Promise<void> | undefined;
  /** Where delivery time goes (the benchmark reports signing and recording separately). */
  readonly stats = { attempts: 0, signMs: 0, sendMs: 0, recordMs: 0 };

  private readonly box: SecretBox;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.box = webhookSecretBox(options.principalSecret);
    this.consumer = new EventConsumer({ db: options.db, name: FANOUT_CONSUMER, handle: (e) => this.fanOut(e), logger: options.logger });
  }

  async start(): Promise<void> {
    this.running = true;
    await this.consumer.start();
    this.loop = this.claimLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.consumer.stop();
    await this.loop;
    // In-flight attempts finish and are recorded (each is bounded by the receiver timeout).
    await Promise.allSettled([...this.inflight]);
  }

  /** One delivery per endpoint of the event's account and mode that subscribed to its type. */
  async fanOut(event: EventDocument): Promise<void> {
    const { db } = this.options;
    const targets = await endpoints(db)
      .find({ accountId: event.accountId, mode: event.mode, status: 'active', events: event.type as never, deletedAt: { $exists: false } }, { projection: { _id: 1 } })
      .toArray();
    if (targets.length === 0) return;
    const now = new Date();
    const body = webhookBody(event);
    for (const target of targets) {
      const delivery: WebhookDeliveryDocument = {
        _id: newId('whd'),
        accountId: event.accountId,
        mode: event.mode,
        endpointId: target._id,
        eventId: event._id,
        event: event.type as WebhookDeliveryDocument['event'],
        body,
        status: 'pending',
        attempts: [],
        scheduleIndex: 0,
        nextAttemptAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        const { _id, eventId, endpointId, ...rest } = delivery;
        await deliveries(db).updateOne({ eventId, endpointId }, { $setOnInsert: { _id, ...rest } }, { upsert: true });
      } catch (error) {
        // Another dispatcher created it between our match and insert: that is the idempotency.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
    this.notify();
  }

  /** `concurrency` workers, each claiming (one atomic findOneAndUpdate) and delivering in turn, so
   * claims run in parallel too. An idle worker sleeps until new work is announced or `pollMs`. */
  private async claimLoop(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.config.concurrency }, () => this.worker()));
  }

  private async worker(): Promise<void> {
    const { config } = this.options;
    while (this.running) {
      let claimed: WebhookDeliveryDocument | null = null;
      try {
        claimed = await this.claim();
      } catch (error) {
        this.options.logger?.warn('webhook dispatcher: claim failed', { error });
      }
      if (!claimed) {
        await this.sleep(config.pollMs);
        continue;
      }
      const work = this.attempt(claimed).catch((error: unknown) => this.options.logger?.error('webhook dispatcher: attempt failed', { deliveryId: claimed!._id, error }));
      this.inflight.add(work);
      await work;
      this.inflight.delete(work);
    }
  }

  private notify(): void {
    if (this.sleepers.size === 0) this.woken = true;
    for (const wake of [...this.sleepers]) wake();
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private async claim(): Promise<WebhookDeliveryDocument | null> {
    const now = new Date();
    return deliveries(this.options.db).findOneAndUpdate(
      { status: 'pending', nextAttemptAt: { $lte: now }, $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }] },
      { $set: { leaseOwner: this.id, leaseExpiresAt: new Date(now.getTime() + this.options.config.leaseMs) } },
      { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
    );
  }

  private async attempt(delivery: WebhookDeliveryDocument): Promise<void> {
    const { db, config } = this.options;
    const endpoint = await endpoints(db).findOne({ _id: delivery.endpointId, deletedAt: { $exists: false } });
    const now = new Date();
    const lease = { _id: delivery._id, leaseOwner: this.id };
    if (!endpoint || endpoint.status !== 'active') {
      await deliveries(db).updateOne(lease, { $set: { status: 'failed', nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } });
      return;
    }
    const number = delivery.attempts.length + 1;
    const signStart = performance.now();
    const secret = openSecret(this.box, endpoint.secret);
    if (secret === undefined) {
      // Sealed under another PRINCIPAL_SECRET: nothing can be signed; the delivery fails visibly.
      this.options.logger?.error('webhook dispatcher: cannot open the signing secret (PRINCIPAL_SECRET changed?)', { endpointId: endpoint._id });
      await deliveries(db).updateOne(lease, { $set: { status: 'failed', nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } });
      return;
    }
    if (typeof endpoint.secret === 'string') {
      // A secret stored before sealing: sealed now (only if still the same plain value).
      await endpoints(db).updateOne({ _id: endpoint._id, secret: endpoint.secret }, { $set: sealSecret(this.box, secret) });
    }
    const signature = signBody(delivery.body, secret);
    const sendStart = performance.now();
    const outcome = await sendWebhook({
      url: endpoint.url,
      body: delivery.body,
      timeoutMs: config.timeoutMs,
      allowLoopback: config.allowLoopback,
      responseLimitBytes: config.responseLimitBytes,
      headers: {
        'user-agent': 'junction-webhooks/1.0',
        'x-techcorp-signature': signature,
        'x-techcorp-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-techcorp-event': delivery.event,
        'x-techcorp-event-id': delivery.eventId,
        'x-techcorp-delivery': delivery._id,
        'x-techcorp-attempt': String(number),
      },
    });
    const record: WebhookAttemptDocument = { number, startedAt: now, durationMs: outcome.durationMs, statusCode: outcome.statusCode, error: outcome.error, responseBody: outcome.responseBody };
    const ok = outcome.error === null;
    const retriesDone = delivery.scheduleIndex;
    const delay = config.retrySchedule[retriesDone];
    const next = ok || delay === undefined ? null : new Date(Date.now() + delay);
    const status = ok ? 'succeeded' : next ? 'pending' : 'failed';
    const recordStart = performance.now();
    const result = await deliveries(db).updateOne(lease, {
      $push: { attempts: record },
      $set: { status, scheduleIndex: ok ? retriesDone : retriesDone + 1, nextAttemptAt: next, leaseOwner: null, leaseExpiresAt: null, updatedAt: new Date() },
    });
    this.stats.attempts++;
    this.stats.signMs += sendStart - signStart;
    this.stats.sendMs += recordStart - sendStart;
    this.stats.recordMs += performance.now() - recordStart;
    if (result.matchedCount === 0) this.options.logger?.warn('webhook dispatcher: lease lost before the attempt was recorded', { deliveryId: delivery._id });
    else this.options.logger?.debug('webhook attempt', { deliveryId: delivery._id, status, statusCode: outcome.statusCode, durationMs: outcome.durationMs });
  }
}

export async function startWebhookDispatcher(options: WebhookDispatcherOptions): Promise<() => Promise<void>> {
  const dispatcher = new WebhookDispatcher(options);
  await dispatcher.start();
  options.logger?.info('webhook dispatcher started', { id: dispatcher.id });
  return () => dispatcher.stop();
}
