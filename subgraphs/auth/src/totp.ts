// TOTP (RFC 6238) through otplib: enrolment hands out an otpauth:// URI; a verified code's time step
// is remembered so the same code (or an older one) cannot be used twice.
import type { Db } from 'mongodb';
import { generateSecret, generateURI, verify } from 'otplib';
import { identities } from './identityIndexes.js';
import type { IdentityDocument } from './models.js';

export const TOTP_ISSUER = 'junction';

export async function enrollTotp(db: Db, identity: IdentityDocument): Promise<{ secret: string; uri: string }> {
  const secret = generateSecret();
  await identities(db).updateOne({ _id: identity._id }, { $set: { totp: { secret, enrolledAt: new Date(), lastStep: null } } });
  return { secret, uri: generateURI({ secret, issuer: TOTP_ISSUER, label: identity.email }) };
}

/** True once per valid code: ±1 step of clock drift is accepted, a replay is refused. */
export async function verifyTotp(db: Db, identity: IdentityDocument, code: string): Promise<boolean> {
  const totp = identity.totp;
  if (!totp || !/^\d{6}$/.test(code)) return false;
  const result = await verify({ secret: totp.secret, token: code, epochTolerance: 30, ...(totp.lastStep !== null ? { afterTimeStep: totp.lastStep } : {}) });
  if (!result.valid) return false;
  // A TOTP result carries the current time step; the code matched `delta` steps away from it.
  const step = (result as { timeStep: number }).timeStep + result.delta;
  // Atomic: of two concurrent uses of one code, only one moves lastStep forward.
  const claimed = await identities(db).updateOne(
    { _id: identity._id, 'totp.secret': totp.secret, $or: [{ 'totp.lastStep': null }, { 'totp.lastStep': { $lt: step } }] },
    { $set: { 'totp.lastStep': step } },
  );
  return claimed.modifiedCount === 1;
}
