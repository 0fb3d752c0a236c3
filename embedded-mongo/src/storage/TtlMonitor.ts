// Deletes documents whose TTL index date is older than expireAfterSeconds, every interval
// (MongoDB's TTL monitor runs every 60 s; this one defaults to 1 s and is configurable).
import type { Document } from 'bson';
import { TypeBound, TypeOrder } from '../bson/values.js';
import { lockKey, type Sessions } from '../txn/Sessions.js';
import { Unit, type Engine } from './Engine.js';

export class TtlMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly engine: Engine,
    private readonly sessions: Sessions,
    private readonly intervalMS: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.pass(), this.intervalMS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every TTL index; returns how many documents were deleted. */
  async pass(now = Date.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const unit = new Unit();
      let n = 0;
      for (const c of [...this.engine.colls.values()]) {
        for (const ix of c.indexes) {
          const secs = ix.spec.expireAfterSeconds;
          if (secs === undefined || ix.fields.length !== 1) continue;
          const cutoff = now - secs * 1000;
          const expired: Document[] = [];
          const dir = ix.dirs[0]!;
          // Dates are one contiguous range of the index: walk it from the oldest.
          const start = dir > 0 ? new TypeBound(TypeOrder.Date, false) : new Date(cutoff);
          for (const e of ix.scan([start])) {
            const v = e.k[0];
            // Left the range of dates (the scan starts inside it).
            if (!(v instanceof Date)) break;
            if (v.getTime() > cutoff) {
              if (dir > 0) break;
              continue;
            }
            expired.push(e.r.doc);
            if (expired.length >= 10_000) break;
          }
          for (const d of expired) {
            const r = c.getById(d._id);
            if (!r || this.sessions.lockedBy(lockKey(c.ns, d._id))) continue;
            // An array of dates expires on its earliest date: the index scan found it already.
            this.engine.remove(unit, c, r);
            n++;
          }
        }
      }
      await this.engine.commit(unit);
      return n;
    } catch {
      return 0;
    } finally {
      this.running = false;
    }
  }
}
