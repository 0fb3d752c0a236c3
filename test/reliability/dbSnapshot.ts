// What a refused request must not change: every document of every collection, counted and hashed
// through the driver, except the gateway's own bookkeeping that every request (refused or not)
// is meant to touch: rate-limit counters, the per-address sign-in limiter, consumer offsets.
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { EJSON } from 'bson';

/** Collections written on purpose by refused requests too (a refusal still counts against a limit;
 * a failed sign-in counts towards lock-out). */
const BOOKKEEPING = /^(rate_limits?|rate_limit_.*|signin_failures|consumer_offsets|system\..*)$/i;

export interface DbSnapshot {
  counts: Record<string, number>;
  /** Per collection: sha256 of its documents in _id order (canonical EJSON). */
  hashes: Record<string, string>;
}

export async function snapshotDb(db: Db): Promise<DbSnapshot> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !BOOKKEEPING.test(n)).sort();
  const counts: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  for (const name of names) {
    const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    const hash = createHash('sha256');
    for (const d of docs) hash.update(EJSON.stringify(d, { relaxed: false }));
    counts[name] = docs.length;
    hashes[name] = hash.digest('hex');
  }
  return { counts, hashes };
}

/** Collections whose count or content differs ('' when none does). */
export function changedCollections(before: DbSnapshot, after: DbSnapshot): string {
  const names = [...new Set([...Object.keys(before.hashes), ...Object.keys(after.hashes)])].sort();
  return names
    .filter((n) => before.hashes[n] !== after.hashes[n])
    .map((n) => (before.counts[n] === after.counts[n] ? `${n} (documents changed)` : `${n} ${before.counts[n] ?? 0}→${after.counts[n] ?? 0}`))
    .join(', ');
}
