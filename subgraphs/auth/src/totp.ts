// TOTP (RFC 6238) through otplib: enrolment hands out an otpauth:// URI; a verified code's time step
// is remembered so the same code (or an older one) cannot be used twice. The shared secret is kept
// sealed (AES-256-GCM, SecretBox purpose `totp-secrets`): a database reader cannot mint codes.
import type { Db } from 'mongodb';
import { generateSecret, generateURI, verify } from 'otplib';
import { SecretBox } from '../../../platform/src/crypto/SecretBox.js';
import type { Env } from '../../../platform/src/env.js';
import { identities } from './identityIndexes.js';
import type { IdentityDocument } from './models.js';

export const TOTP_ISSUER = 'junction';

/** The box TOTP secrets are sealed with (the launcher always resolves PRINCIPAL_SECRET). */
export function totpBox(config: Env): SecretBox {
  if (!config.principalSecret) throw new Error('PRINCIPAL_SECRET is not resolved: TOTP secrets cannot be sealed');
  return new SecretBox(config.principalSecret, 'totp-secrets');
}

export async function enrollTotp(db: Db, box: SecretBox, identity: IdentityDocument): Promise<{ secret: string; uri: string }> {
  const secret = generateSecret();
  await identities(db).updateOne({ _id: identity._id }, { $set: { totp: { secret: box.seal(secret), enrolledAt: new Date(), lastStep: null } } });
  return { secret, uri: generateURI({ secret, issuer: TOTP_ISSUER, label: identity.email }) };
}

/** True once per valid code: ±1 step of clock drift is accepted, a replay is refused. */
export async function verifyTotp(db: Db, box: SecretBox, identity: IdentityDocument, code: string): Promise<boolean> {
  const totp = identity.totp;
  if (!totp || !/^\d{6}$/.test(code)) return false;
  const secret = typeof totp.secret === 'string' ? totp.secret : box.open(totp.secret);
  if (!secret) return false; // sealed under another PRINCIPAL_SECRET
  const result = await verify({ secret, token: code, epochTolerance: 30, ...(totp.lastStep !== null ? { afterTimeStep: totp.lastStep } : {}) });
  if (!result.valid) return false;
  // A TOTP result carries the current time step; the code matched `delta` steps away from it.
  const step = (result as { timeStep: number }).timeStep + result.delta;
  // Atomic: of two concurrent uses of one code, only one moves lastStep forward. A secret stored in
  // the clear before encryption at rest is sealed by this write.
  const claimed = await identities(db).updateOne(
    { _id: identity._id, 'totp.enrolledAt': totp.enrolledAt, $or: [{ 'totp.lastStep': null }, { 'totp.lastStep': { $lt: step } }] },
    { $set: { 'totp.lastStep': step, ...(typeof totp.secret === 'string' ? { 'totp.secret': box.seal(secret) } : {}) } },
  );
  return claimed.modifiedCount === 1;
}
