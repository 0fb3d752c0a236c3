// The OTP send limit, atomic: each identity and each destination has one budget document holding
// the sends of the current window; a send is admitted by one conditional update that only matches
// while fewer than `limit` sends are recorded, so parallel requests cannot overshoot (a count
// followed by an insert could). Budgets expire by TTL once their window has passed.
import type { Db } from 'mongodb';
import { newId } from '../../../platform/src/ids.js';

interface OtpSendBudgetDocument {
  _id: string;
  sent: { id: string; at: Date }[];
  expiresAt: Date;
}

export const otpSendBudgets = (db: Db) => db.collection<OtpSendBudgetDocument>('otp_send_budgets');

export async function ensureOtpSendBudgetIndexes(db: Db): Promise<void> {
  await otpSendBudgets(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
}

async function reserve(db: Db, key: string, id: string, limit: number, windowMs: number): Promise<boolean> {
  const now = new Date();
  const budgets = otpSendBudgets(db);
  try {
    await budgets.updateOne({ _id: key }, { $setOnInsert: { sent: [], expiresAt: new Date(now.getTime() + windowMs) } }, { upsert: true });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error; // a concurrent first send made it
  }
  await budgets.updateOne({ _id: key }, { $pull: { sent: { at: { $lte: new Date(now.getTime() - windowMs) } } } });
  const admitted = await budgets.updateOne(
    { _id: key, [`sent.${limit - 1}`]: { $exists: false } },
    { $push: { sent: { id, at: now } }, $set: { expiresAt: new Date(now.getTime() + windowMs) } },
  );
  return admitted.modifiedCount === 1;
}

/** Admits one send against every budget named by `keys`, or none: undefined when admitted, else
 * the first key whose budget is spent (budgets reserved before it are given back). */
export async function admitSend(db: Db, keys: string[], limit: number, windowMs: number): Promise<string | undefined> {
  const id = newId('snd');
  const reserved: string[] = [];
  for (const key of keys) {
    if (!(await reserve(db, key, id, limit, windowMs))) {
      if (reserved.length) await otpSendBudgets(db).updateMany({ _id: { $in: reserved } }, { $pull: { sent: { id } } });
      return key;
    }
    reserved.push(key);
  }
  return undefined;
}
