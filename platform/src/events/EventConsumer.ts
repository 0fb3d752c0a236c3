// A consumer of the `events` outbox: a MongoDB change stream on the collection, with its resume
// token persisted in `consumer_offsets` (one document per consumer name) after the handler has
// finished with an event, so a consumer that restarts continues exactly where it stopped (at
// least once: an event handled just before a crash may be handled again — handlers are idempotent
// or receivers dedupe by event id). Ephemeral consumers (a gateway's live subscriptions) pass
// `persist: false` and start at "now".
import type { ChangeStream, ChangeStreamInsertDocument, Db, Document, ResumeToken } from 'mongodb';
import type { Logger } from '../logger.js';
import { EVENTS_COLLECTION, type EventDocument } from './outbox.js';

export const CONSUMER_OFFSETS_COLLECTION = 'consumer_offsets';

export interface ConsumerOffsetDocument {
  _id: string;
  resumeToken: ResumeToken;
  updatedAt: Date;
}

export interface EventConsumerOptions {
  db: Db;
  /** Names the offset document; several processes with one name share (and advance) one offset. */
  name: string;
  handle: (event: EventDocument) => Promise<void> | void;
  logger?: Logger | undefined;
  /** Extra `$match` on the change event, e.g. `{ 'fullDocument.type': { $in: [...] } }`. */
  match?: Document;
  /** Persist and resume from the token (default true). */
  persist?: boolean;
  /** Minimum time between two offset writes while events stream (default 100 ms); the last
   * handled token is always written on stop. */
  flushIntervalMs?: number;
  /** Delay before reopening after an error (default 500 ms). */
  retryDelayMs?: number;
}

const HISTORY_LOST = new Set([280, 286, 260]);

export class EventConsumer {
  private stream: ChangeStream<EventDocument, ChangeStreamInsertDocument<EventDocument>> | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private lastToken: ResumeToken | undefined;
  private savedToken: ResumeToken | undefined;
  private lastFlush = 0;
  private opened!: () => void;
  /** Resolves once the change stream is open (events committed after this are seen). */
  readonly ready: Promise<void> = new Promise((resolve) => (this.opened = resolve));

  constructor(private readonly options: EventConsumerOptions) {}

  private flushTimer: NodeJS.Timeout | undefined;

  start(): Promise<void> {
    this.running ??= this.loop();
    // A token held back by the write throttle is written soon even when no further event comes.
    this.flushTimer ??= setInterval(() => void this.flush(true).catch(() => undefined), this.options.flushIntervalMs ?? 100).unref();
    return this.ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.flushTimer);
    await this.stream?.close().catch(() => undefined);
    await this.running?.catch(() => undefined);
    await this.flush(true);
  }

  private get persist(): boolean {
    return this.options.persist !== false;
  }

  private async loop(): Promise<void> {
    const { db, logger } = this.options;
    while (!this.stopped) {
      try {
        let resumeAfter: ResumeToken | undefined = this.lastToken;
        if (resumeAfter === undefined && this.persist) {
          const offset = await db.collection<ConsumerOffsetDocument>(CONSUMER_OFFSETS_COLLECTION).findOne({ _id: this.options.name });
          resumeAfter = offset?.resumeToken;
          this.savedToken = resumeAfter;
        }
        const pipeline: Document[] = [{ $match: { operationType: 'insert', ...this.options.match } }];
        const stream = db.collection<EventDocument>(EVENTS_COLLECTION).watch<EventDocument, ChangeStreamInsertDocument<EventDocument>>(pipeline, resumeAfter ? { resumeAfter } : {});
        this.stream = stream;
        if (this.stopped) break;
        // The first getMore establishes the stream's position; until then an event could slip by.
        const first = await stream.tryNext();
        this.opened();
        if (this.persist && this.lastToken === undefined && this.savedToken === undefined && stream.resumeToken) {
          // First run ever: remember "now", so a restart before any event still resumes from here.
          this.lastToken = stream.resumeToken;
          await this.flush(true);
        }
        if (first) await this.deliver(first);
        while (!this.stopped) {
          const change = await stream.next();
          await this.deliver(change);
        }
      } catch (error) {
        if (this.stopped) break;
        const code = (error as { code?: number }).code;
        if (code !== undefined && HISTORY_LOST.has(code)) {
          logger?.error('event consumer: resume point no longer available, continuing from now', { consumer: this.options.name, code });
          this.lastToken = undefined;
          this.savedToken = undefined;
          if (this.persist) await this.options.db.collection<ConsumerOffsetDocument>(CONSUMER_OFFSETS_COLLECTION).deleteOne({ _id: this.options.name }).catch(() => undefined);
        } else {
          logger?.warn('event consumer: stream interrupted, reopening', { consumer: this.options.name, error });
        }
        await this.stream?.close().catch(() => undefined);
        await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 500));
      }
    }
  }

  private async deliver(change: ChangeStreamInsertDocument<EventDocument>): Promise<void> {
    // A failing handler is retried (the token is not advanced) until it succeeds or we stop.
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.options.handle(change.fullDocument);
        break;
      } catch (error) {
        this.options.logger?.error('event consumer: handler failed, retrying', { consumer: this.options.name, eventId: change.fullDocument._id, error });
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
    if (this.stopped) return;
    this.lastToken = change._id;
    await this.flush(false);
  }

  private async flush(force: boolean): Promise<void> {
    if (!this.persist || this.lastToken === undefined || this.lastToken === this.savedToken) return;
    const now = Date.now();
    if (!force && now - this.lastFlush < (this.options.flushIntervalMs ?? 100)) return;
    this.lastFlush = now;
    const token = this.lastToken;
    await this.options.db
      .collection<ConsumerOffsetDocument>(CONSUMER_OFFSETS_COLLECTION)
      .updateOne({ _id: this.options.name }, { $set: { resumeToken: token, updatedAt: new Date() } }, { upsert: true });
    this.savedToken = token;
  }
}
