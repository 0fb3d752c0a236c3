// Seed 003's per-minute and per-day limits, counted in MongoDB so every gateway process shares one
// budget. One document per key and UTC day holds both counters: the day's count and the current
// minute's (with the minute it belongs to). One atomic upserting findOneAndUpdate with an update
// pipeline counts a request in both windows — one write per request — and a TTL index drops
// past days. A refused request is given back, so hammering at the limit does not burn the budget.
import type { Collection, Db } from 'mongodb';
import type { Limits } from './planLimits.js';

export const RATE_LIMITS = 'rate_limits';

interface CounterDocument {
  _id: string;
  day: number;
  minute: number;
  /** Unix seconds of the minute `minute` counts. */
  minuteStart: number;
  expiresAt: Date;
}

export interface WindowState {
  /** Window length in seconds (60 or 86400). */
  window: number;
  limit: number;
  count: number;
  remaining: number;
  /** Unix seconds when this window resets. */
  reset: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** The window the headers report: an exceeded one (the later reset), else the one with fewer left. */
  binding: WindowState;
  windows: WindowState[];
}

export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const { binding } = result;
  return {
    'X-RateLimit-Limit': String(binding.limit),
    'X-RateLimit-Remaining': String(binding.remaining),
    'X-RateLimit-Reset': String(binding.reset),
    'X-RateLimit-Window': String(binding.window),
  };
}

export function chooseBinding(windows: WindowState[]): WindowState {
  const exceeded = windows.filter((w) => w.count > w.limit);
  if (exceeded.length > 0) return exceeded.reduce((a, b) => (b.reset > a.reset ? b : a));
  return windows.reduce((a, b) => (b.remaining < a.remaining ? b : a));
}

export class RateLimiter {
  private readonly counters: Collection<CounterDocument>;

  constructor(db: Db) {
    this.counters = db.collection<CounterDocument>(RATE_LIMITS);
  }

  static async ensureIndexes(db: Db): Promise<void> {
    await db.collection(RATE_LIMITS).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  }

  async hit(subject: string, limits: Limits, now = Date.now()): Promise<RateLimitResult> {
    const seconds = Math.floor(now / 1000);
    const dayStart = seconds - (seconds % 86_400);
    const minuteStart = seconds - (seconds % 60);
    const id = `${subject}:${dayStart}`;
    const doc = await this.increment(id, minuteStart, new Date((dayStart + 86_400 + 3600) * 1000));
    const windows: WindowState[] = [
      { window: 60, limit: limits.perMinute, count: doc.minute, remaining: Math.max(0, limits.perMinute - doc.minute), reset: minuteStart + 60 },
      { window: 86_400, limit: limits.perDay, count: doc.day, remaining: Math.max(0, limits.perDay - doc.day), reset: dayStart + 86_400 },
    ];
    const allowed = windows.every((w) => w.count <= w.limit);
    if (!allowed) {
      // Give the refused request back (the minute only if it has not rolled over meanwhile).
      const same = await this.counters.updateOne({ _id: id, minuteStart }, { $inc: { day: -1, minute: -1 } });
      if (same.matchedCount === 0) await this.counters.updateOne({ _id: id }, { $inc: { day: -1 } });
    }
    return { allowed, binding: chooseBinding(windows), windows };
  }

  private async increment(id: string, minuteStart: number, expiresAt: Date): Promise<CounterDocument> {
    const update = [
      {
        $set: {
          day: { $add: [{ $ifNull: ['$day', 0] }, 1] },
          minute: { $cond: [{ $eq: ['$minuteStart', minuteStart] }, { $add: ['$minute', 1] }, 1] },
          minuteStart,
          expiresAt,
        },
      },
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate({ _id: id }, update, { upsert: true, returnDocument: 'after' });
        if (!doc) throw new Error('rate limit counter upsert returned nothing');
        return doc;
      } catch (error) {
        // Two processes upserting the first hit of a day: one loses on _id; the retry updates.
        if ((error as { code?: number }).code === 11000 && attempt < 3) continue;
        throw error;
      }
    }
  }
}
