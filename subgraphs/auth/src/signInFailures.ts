// Failed sign-ins for emails that name no identity, counted so that an unknown email slows down and
// locks exactly as a known one does (no account enumeration by behaviour). Kept in the auth-owned
// `signin_failures` collection, shared by every instance (an in-memory counter would let a
// load-balanced attacker see unknown emails lock later than known ones), keyed by an HMAC of the
// email (a database reader learns no address), and bounded: a record disappears by TTL a day
// after its last failure, and the per-address sign-in limit caps how fast anyone can add them.
import { createHmac, hkdfSync } from 'node:crypto';
import type { Db } from 'mongodb';

interface SignInFailureDocument {
  _id: string;
  failures: number;
  lockedUntil: Date | null;
  expiresAt: Date;
}

const RETAIN_MS = 24 * 60 * 60 * 1000;

export const signInFailures = (db: Db) => db.collection<SignInFailureDocument>('signin_failures');

export async function ensureSignInFailureIndexes(db: Db): Promise<void> {
  await signInFailures(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
}

export function failureKey(secret: string, email: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'junction', 'signin-failures', 32));
  return createHmac('sha256', key).update(email).digest('base64url');
}

export async function unknownLockedUntil(db: Db, key: string): Promise<Date | undefined> {
  const doc = await signInFailures(db).findOne({ _id: key });
  return doc?.lockedUntil && doc.lockedUntil > new Date() ? doc.lockedUntil : undefined;
}

/** Counts one failure; returns the count (0 after it locked, as a known identity's counter resets). */
export async function recordUnknownFailure(db: Db, key: string, lockAfter: number, lockMs: number): Promise<number> {
  const now = Date.now();
  const updated = await signInFailures(db).findOneAndUpdate(
    { _id: key },
    { $inc: { failures: 1 }, $set: { expiresAt: new Date(now + RETAIN_MS) }, $setOnInsert: { lockedUntil: null } },
    { upsert: true, returnDocument: 'after' },
  );
  const failures = updated?.failures ?? 1;
  if (failures >= lockAfter) await signInFailures(db).updateOne({ _id: key }, { $set: { failures: 0, lockedUntil: new Date(now + lockMs), expiresAt: new Date(now + lockMs + RETAIN_MS) } });
  return failures;
}
