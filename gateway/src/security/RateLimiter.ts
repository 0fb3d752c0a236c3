// Rate limits counted in MongoDB so every gateway process shares one budget. A request is counted
// in its scheme's windows (seed 003: a minute and a day; seed 001: the same with its own tiers;
// seeds 000/002/004: an hour — see planLimits.ts). One document per key, scheme and start of the
// scheme's longest window holds every window's count (a shorter window's count with the start it
// belongs to). One atomic upserting findOneAndUpdate with an update pipeline counts a request in
// all windows — one write per request — and a TTL index drops past documents. A refused request
// is given back, so hammering at the limit does not burn the budget. Schemes never share counters.
import type { Collection, Db } from 'mongodb';
import { toSchemeLimits, type Limits, type SchemeLimits } from './planLimits.js';

export const RATE_LIMITS = 'rate_limits';

/** `n<seconds>`: a window's count; `s<seconds>`: Unix seconds of the window a shorter window's count is for. */
interface CounterDocument {
  _id: string;
  expiresAt: Date;
  [field: string]: number | string | Date;
}

export interface WindowState {
  /** Window length in seconds (60, 3600 or 86400). */
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

/** Seed 003 adds `X-RateLimit-Window`; seeds 000/001/002/004 document only the other three. */
export function rateLimitHeaders(result: RateLimitResult, options: { window: boolean } = { window: true }): Record<string, string> {
  const { binding } = result;
  return {
    'X-RateLimit-Limit': String(binding.limit),
    'X-RateLimit-Remaining': String(binding.remaining),
    'X-RateLimit-Reset': String(binding.reset),
    ...(options.window ? { 'X-RateLimit-Window': String(binding.window) } : {}),
  };
}

/** Seed 003's counters keep the key alone (as before schemes existed); the others add the scheme. */
export function counterKey(subject: string, limits: SchemeLimits): string {
  return limits.scheme === 'techcorp-v2' ? subject : `${subject}:${limits.scheme}`;
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

  /** Plain `Limits` count in seed 003's scheme (per minute and per day). */
  async hit(subject: string, limits: Limits | SchemeLimits, now = Date.now()): Promise<RateLimitResult> {
    const scheme = toSchemeLimits(limits);
    const seconds = Math.floor(now / 1000);
    const specs = [...scheme.windows].sort((a, b) => a.seconds - b.seconds);
    const longest = specs[specs.length - 1]!;
    const longStart = seconds - (seconds % longest.seconds);
    const shorter = specs.slice(0, -1).map((w) => ({ ...w, start: seconds - (seconds % w.seconds) }));
    const id = `${counterKey(subject, scheme)}:${longStart}`;
    const doc = await this.increment(id, longest.seconds, shorter, new Date((longStart + longest.seconds + 3600) * 1000));
    const windows: WindowState[] = [...shorter, { ...longest, start: longStart }].map((w) => {
      const count = Number(doc[`n${w.seconds}`] ?? 0);
      return { window: w.seconds, limit: w.limit, count, remaining: Math.max(0, w.limit - count), reset: w.start + w.seconds };
    });
    const allowed = windows.every((w) => w.count <= w.limit);
    if (!allowed) {
      // Give the refused request back (a shorter window only if it has not rolled over meanwhile).
      const giveBack: Record<string, unknown> = { [`n${longest.seconds}`]: { $subtract: [`$n${longest.seconds}`, 1] } };
      for (const w of shorter) giveBack[`n${w.seconds}`] = { $cond: [{ $eq: [`$s${w.seconds}`, w.start] }, { $subtract: [`$n${w.seconds}`, 1] }, `$n${w.seconds}`] };
      await this.counters.updateOne({ _id: id }, [{ $set: giveBack }]);
    }
    return { allowed, binding: chooseBinding(windows), windows };
  }

  private async increment(id: string, longest: number, shorter: { seconds: number; start: number }[], expiresAt: Date): Promise<CounterDocument> {
    const set: Record<string, unknown> = { [`n${longest}`]: { $add: [{ $ifNull: [`$n${longest}`, 0] }, 1] }, expiresAt };
    for (const w of shorter) {
      set[`n${w.seconds}`] = { $cond: [{ $eq: [`$s${w.seconds}`, w.start] }, { $add: [`$n${w.seconds}`, 1] }, 1] };
      set[`s${w.seconds}`] = w.start;
    }
    const update = [{ $set: set }];
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
