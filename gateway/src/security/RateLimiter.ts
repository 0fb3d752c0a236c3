// Seed 003's per-minute and per-day limits, counted in MongoDB so every gateway process shares one
// budget: one document per key and window (`_id: <key>:<window s>:<window start>`), incremented
// atomically by an upserting findOneAndUpdate (both windows in parallel: one round trip of latency),
// expired by a TTL index. A refused request is given back, so hammering at the limit does not burn
// the day's budget.
import type { Collection, Db } from 'mongodb';
import type { Limits } from './planLimits.js';

export const RATE_LIMITS = 'rate_limits';

interface CounterDocument {
  _id: string;
  count: number;
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
    const specs = [
      { window: 60, limit: limits.perMinute },
      { window: 86_400, limit: limits.perDay },
    ];
    const states = await Promise.all(
      specs.map(async ({ window, limit }) => {
        const start = Math.floor(now / 1000 / window) * window;
        const reset = start + window;
        const id = `${subject}:${window}:${start}`;
        const count = await this.increment(id, new Date((reset + 60) * 1000));
        return { id, state: { window, limit, count, remaining: Math.max(0, limit - count), reset } };
      }),
    );
    const windows = states.map((s) => s.state);
    const allowed = windows.every((w) => w.count <= w.limit);
    if (!allowed) {
      // Give the refused request back so it does not consume budget.
      await Promise.all(states.map((s) => this.counters.updateOne({ _id: s.id }, { $inc: { count: -1 } })));
    }
    return { allowed, binding: chooseBinding(windows), windows };
  }

  private async increment(id: string, expiresAt: Date): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate({ _id: id }, { $inc: { count: 1 }, $setOnInsert: { expiresAt } }, { upsert: true, returnDocument: 'after' });
        return doc?.count ?? 1;
      } catch (error) {
        // Two processes upserting the first hit of a window: one loses on _id; the retry updates.
        if ((error as { code?: number }).code === 11000 && attempt < 3) continue;
        throw error;
      }
    }
  }
}
