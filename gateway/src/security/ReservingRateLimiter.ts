import type { Collection, Db } from 'mongodb';
import { RATE_LIMITS, chooseBinding, counterKey, type RateLimitResult, type RateLimiter, type WindowState } from './RateLimiter.js';
import { toSchemeLimits, type Limits, type SchemeLimits } from './planLimits.js';

interface CounterDocument {
  _id: string;
  count: number;
  expiresAt: Date;
}

/** This process's share of one window's counter. */
interface Slot {
  start: number;
  /** Units reserved in MongoDB for this process (already counted there). */
  granted: number;
  /** Units spent by requests. */
  used: number;
  /** The shared counter's value right after the last reservation (our unused units included). */
  dbCount: number;
  blockSize: number;
  lastReserveAt: number;
  /** Requests waiting for the reservation in flight. */
  waiting: number;
  pending: Promise<number> | undefined;
}

export interface ReservingRateLimiterOptions {
  /** Largest block of units one reservation takes (default 1000). */
  maxBlock?: number;
  /**
   * Largest block as a share of the window's limit (default 1%): with small limits (free: 60 a
   * minute) blocks stay at one unit, so counting is exactly per request as before.
   */
  limitShare?: number;
  /**
   * Windows whose limit is below this (default 10,000) are counted one request at a time, so
   * their `X-RateLimit-Remaining` is exact across processes, so small plans count exactly.
   */
  exactBelow?: number;
}

/**
 * The `RateLimiter` used in production: one document per key, scheme and window, counted without a MongoDB round trip per
 * request: each process reserves blocks of units from the shared counter (one atomic `$inc` of
 * the block) and spends them locally. Blocks grow with the request rate and are capped at a small
 * share of the limit; windows with limits under 10,000 keep one round trip per request. The shared budget is never exceeded — a reservation that overshoots the
 * limit gives the excess straight back — and refused requests consume nothing. The price:
 * `X-RateLimit-Remaining` can be off by the units other processes hold unspent, and up to one
 * block per process and window may go unspent when a window ends.
 */
export class ReservingRateLimiter implements RateLimiter {
  private readonly shared: Collection<CounterDocument>;
  private readonly slots = new Map<string, Slot>();
  private readonly maxBlock: number;
  private readonly limitShare: number;
  private readonly exactBelow: number;

  static async ensureIndexes(db: Db): Promise<void> {
    // A TTL index drops the documents of past windows.
    await db.collection(RATE_LIMITS).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  }

  constructor(db: Db, options: ReservingRateLimiterOptions = {}) {
    this.shared = db.collection<CounterDocument>(RATE_LIMITS);
    this.maxBlock = options.maxBlock ?? 1000;
    this.limitShare = options.limitShare ?? 0.01;
    this.exactBelow = options.exactBelow ?? 10_000;
  }

  async hit(subject: string, limits: Limits | SchemeLimits, now = Date.now()): Promise<RateLimitResult> {
    const scheme = toSchemeLimits(limits);
    const key = counterKey(subject, scheme);
    const specs = scheme.windows.map((w) => ({ window: w.seconds, limit: w.limit }));
    const taken = await Promise.all(specs.map((s) => this.take(key, s.window, s.limit, now)));
    const allowed = taken.every((t) => t.ok);
    // A refused request consumes nothing: units taken from the other window go back to this process.
    if (!allowed) for (const t of taken) if (t.ok) t.slot.used -= 1;
    const windows: WindowState[] = taken.map((t, i) => {
      const { window, limit } = specs[i]!;
      const count = t.ok ? t.count : limit + 1;
      return { window, limit, count, remaining: Math.max(0, limit - count), reset: t.slot.start + window };
    });
    return { allowed, binding: chooseBinding(windows), windows };
  }

  private async take(subject: string, window: number, limit: number, now: number): Promise<{ ok: boolean; count: number; slot: Slot }> {
    const start = Math.floor(now / 1000 / window) * window;
    const key = `${subject}:${window}`;
    let slot = this.slots.get(key);
    if (!slot || slot.start !== start) {
      if (slot && slot.start > start) return { ok: false, count: limit + 1, slot }; // a clock step back: refuse rather than miscount
      slot = { start, granted: 0, used: 0, dbCount: 0, blockSize: 1, lastReserveAt: 0, waiting: 0, pending: undefined };
      this.slots.set(key, slot);
      if (this.slots.size > 100_000) this.dropOldSlots(now);
    }
    const id = `${subject}:${window}:${start}`;
    for (;;) {
      if (slot.used < slot.granted) {
        slot.used += 1;
        return { ok: true, count: slot.dbCount - (slot.granted - slot.used), slot };
      }
      if (slot.pending) {
        slot.waiting += 1;
        const got = await slot.pending.finally(() => (slot!.waiting -= 1));
        if (got === 0 && slot.used >= slot.granted) return { ok: false, count: limit + 1, slot };
        continue;
      }
      const reservation = this.reserve(slot, id, limit, new Date((start + window + 60) * 1000), now);
      slot.pending = reservation;
      const got = await reservation.finally(() => (slot!.pending = undefined));
      if (got === 0 && slot.used >= slot.granted) return { ok: false, count: limit + 1, slot };
    }
  }

  private async reserve(slot: Slot, id: string, limit: number, expiresAt: Date, now: number): Promise<number> {
    const cap = limit < this.exactBelow ? 1 : Math.max(1, Math.min(this.maxBlock, Math.floor(limit * this.limitShare)));
    // Grow while blocks run out fast, shrink when they last; never below the queue waiting now.
    const sinceLast = now - slot.lastReserveAt;
    if (slot.lastReserveAt > 0 && sinceLast < 250) slot.blockSize *= 2;
    else if (sinceLast > 1000) slot.blockSize = Math.max(1, Math.floor(slot.blockSize / 2));
    const block = Math.min(cap, Math.max(slot.blockSize, slot.waiting + 1));
    slot.blockSize = block;
    slot.lastReserveAt = now;
    const after = await this.add(id, block, expiresAt);
    const before = after - block;
    const usable = Math.max(0, Math.min(block, limit - before));
    if (usable < block) await this.shared.updateOne({ _id: id }, { $inc: { count: -(block - usable) } });
    slot.granted += usable;
    slot.dbCount = before + usable;
    return usable;
  }

  private async add(id: string, units: number, expiresAt: Date): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.shared.findOneAndUpdate({ _id: id }, { $inc: { count: units }, $setOnInsert: { expiresAt } }, { upsert: true, returnDocument: 'after' });
        return doc?.count ?? units;
      } catch (error) {
        // Two processes upserting the first hit of a window: one loses on _id; the retry updates.
        if ((error as { code?: number }).code === 11000 && attempt < 3) continue;
        throw error;
      }
    }
  }

  private dropOldSlots(now: number): void {
    for (const [key, slot] of this.slots) if (slot.start + 86_400 < now / 1000 && !slot.pending) this.slots.delete(key);
  }
}
