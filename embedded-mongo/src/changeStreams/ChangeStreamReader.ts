// A change stream's position in the oplog and the reading of its next batch: it scans committed
// oplog entries after its position, turns those in scope into events, runs them through the
// user's pipeline, and, when nothing is there yet, waits for new entries up to maxAwaitTimeMS.
import { Timestamp, type Document } from 'bson';
import type { Oplog, OplogEntry } from '../oplog.js';
import { compareValues } from '../bson/values.js';
import { changeStreamFatal, historyLost } from './changeStreamErrors.js';
import { encodeResumeToken, type ResumePosition } from './resumeToken.js';
import { eventsFor, type EventOptions, type EventSource, type StreamScope } from './changeEvents.js';
import type { EventPipeline } from './eventPipeline.js';

export interface Batch {
  events: Document[];
  postBatchResumeToken: { _data: string };
  /** The stream was invalidated: the cursor ends after this batch. */
  exhausted: boolean;
}

/** How many oplog entries one read scans before returning (keeps getMore latency bounded). */
const SCAN_CHUNK = 5000;

export class ChangeStreamReader {
  /** Last scanned entry (null: before the first retained entry). */
  private scanTs: Timestamp | null;
  /** Events at or before this position were already delivered (resume), so they are skipped. */
  private skipThrough: ResumePosition | null;
  private lastToken: { _data: string };
  private invalidated = false;

  constructor(
    private readonly oplog: Oplog,
    private readonly scope: StreamScope,
    private readonly options: EventOptions,
    private readonly pipeline: EventPipeline,
    private readonly source: EventSource,
    start: { after?: ResumePosition; atOperationTime?: Timestamp; now: Timestamp | null },
  ) {
    if (start.after) {
      checkHistory(oplog, start.after.ts);
      this.scanTs = previous(start.after.ts);
      this.skipThrough = start.after;
    } else if (start.atOperationTime) {
      checkHistory(oplog, start.atOperationTime);
      this.scanTs = previous(start.atOperationTime);
      this.skipThrough = null;
    } else {
      this.scanTs = start.now;
      this.skipThrough = null;
    }
    this.lastToken = encodeResumeToken({ ts: this.scanTs ?? new Timestamp({ t: 0, i: 0 }), invalidate: false });
  }

  get isExhausted(): boolean {
    return this.invalidated;
  }

  /** Reads what is available now, at most `limit` events (at least one is returned when any is available). */
  read(limit: number): Batch {
    const events: Document[] = [];
    let last: { ts: Timestamp; token: { _data: string } } | null = null;
    while (events.length < limit && !this.invalidated) {
      const entries = this.oplog.readAfter(this.scanTs, SCAN_CHUNK);
      if (entries.length === 0) break;
      for (const entry of entries) {
        for (const ev of this.eventsOf(entry)) {
          const out = this.pipeline.apply(ev.doc);
          if (ev.invalidate) this.invalidated = true;
          if (out === null) continue;
          checkIdUnchanged(out, ev.doc);
          events.push(out);
          last = { ts: entry.ts, token: ev.doc._id as { _data: string } };
        }
        this.scanTs = entry.ts;
        if (events.length >= limit || this.invalidated) break;
      }
    }
    // The token to resume from after this batch: the last event's, or the scan position.
    if (last && this.scanTs && compareValues(last.ts, this.scanTs) === 0) this.lastToken = last.token;
    else if (this.scanTs) this.lastToken = encodeResumeToken({ ts: this.scanTs, invalidate: false });
    return { events, postBatchResumeToken: this.lastToken, exhausted: this.invalidated };
  }

  /** Like `read`, but waits up to `maxAwaitMS` for a first event when none is available. */
  async next(limit: number, maxAwaitMS: number): Promise<Batch> {
    const deadline = Date.now() + maxAwaitMS;
    for (;;) {
      const batch = this.read(limit);
      const remaining = deadline - Date.now();
      if (batch.events.length > 0 || batch.exhausted || remaining <= 0) return batch;
      await waitForAppend(this.oplog, remaining);
    }
  }

  private eventsOf(entry: OplogEntry) {
    const evs = eventsFor(entry, this.scope, this.options, this.source);
    const skip = this.skipThrough;
    if (!skip) return evs;
    const c = compareValues(entry.ts, skip.ts);
    if (c > 0) {
      this.skipThrough = null;
      return evs;
    }
    if (c < 0) return [];
    // Same entry as the token: only the invalidate that follows a resumed-after event remains.
    return skip.invalidate ? [] : evs.filter((e) => e.invalidate);
  }
}

function checkIdUnchanged(out: Document, original: Document): void {
  const id = out._id as Document | undefined;
  const want = original._id as { _data: string };
  if (!id || typeof id !== 'object' || id._data !== want._data || Object.keys(id).length !== 1) {
    throw changeStreamFatal(
      "Encountered an event whose _id field, which contains the resume token, was modified by the pipeline. Modifying the _id field of an event makes it impossible to resume the stream from that point. Only transformations that retain the unmodified _id field are allowed.",
    );
  }
}

/** A position older than the oldest retained entry cannot be resumed (MongoDB's ChangeStreamHistoryLost). */
function checkHistory(oplog: Oplog, ts: Timestamp): void {
  const oldest = oplog.oldestTs();
  // Entries are only dropped once the oplog holds `retain` of them; before that nothing is lost.
  if (oldest && compareValues(ts, oldest) < 0 && oplog.readAfter(null, oplog.retain).length >= oplog.retain) {
    throw historyLost('Resume of change stream was not possible, as the resume point may no longer be in the oplog.');
  }
}

function previous(ts: Timestamp): Timestamp {
  const t = ts.high >>> 0;
  const i = ts.low >>> 0;
  if (i > 0) return new Timestamp({ t, i: i - 1 });
  if (t > 0) return new Timestamp({ t: t - 1, i: 0xffffffff });
  return new Timestamp({ t: 0, i: 0 });
}

function waitForAppend(oplog: Oplog, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe: () => void = () => undefined;
    const timer = setTimeout(() => { unsubscribe(); resolve(); }, ms);
    timer.unref(); // a waiting getMore must not keep a closing process alive
    unsubscribe = oplog.subscribe(() => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
