// One-time codes sent by SMS or email (SecureAuth otp/send): six digits from the CSPRNG, valid five
// minutes, five guesses, stored only as a scrypt hash. Sending is limited per identity and per
// destination; delivery goes through a pluggable OtpSender.
import { randomInt, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import { newId } from '../../../platform/src/ids.js';
import { otpCodes } from './identityIndexes.js';
import type { IdentityDocument } from './models.js';
import type { OtpChannel } from './identityModels.js';
import type { OtpSender } from './OtpSender.js';
import { admitSend } from './otpSendBudget.js';

export const OTP_TTL_MS = 5 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 5;
/** At most this many codes per identity, and per destination, in OTP_SEND_WINDOW_MS. */
export const OTP_SEND_LIMIT = 5;
export const OTP_SEND_WINDOW_MS = 15 * 60 * 1000;

const PHONE = /^\+[1-9]\d{6,14}$/;

function hashCode(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(code, salt, 32, { N: 4096, r: 8, p: 1 }, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function sendOtp(db: Db, sender: OtpSender, identity: IdentityDocument, method: OtpChannel, destinationInput: string | null | undefined): Promise<{ expiresAt: Date }> {
  let destination: string;
  if (method === 'sms') {
    if (!destinationInput || !PHONE.test(destinationInput)) throw new JunctionError('INVALID_REQUEST', 'phone must be in E.164 form, e.g. +1234567890', { param: 'phone', details: { field: 'phone', reason: 'must be E.164' } });
    destination = destinationInput;
  } else {
    destination = (destinationInput ?? identity.email).trim().toLowerCase();
    if (destination !== identity.email) throw new JunctionError('INVALID_REQUEST', 'email codes go to the identity\'s own address', { param: 'email', details: { field: 'email', reason: 'must be the user\'s email' } });
  }
  const spent = await admitSend(db, [`identity:${identity._id}`, `destination:${destination}`], OTP_SEND_LIMIT, OTP_SEND_WINDOW_MS);
  if (spent) {
    throw new JunctionError('RATE_LIMITED', 'Too many codes sent recently: wait before asking again', { details: { reason: spent.startsWith('identity:') ? 'user' : 'destination' } });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
  await otpCodes(db).insertOne({
    _id: newId('otp'),
    accountId: identity.accountId,
    identityId: identity._id,
    method,
    destination,
    codeHash: `${salt.toString('base64url')}$${(await hashCode(code, salt)).toString('base64url')}`,
    attempts: 0,
    createdAt: now,
    expiresAt,
    usedAt: null,
  });
  await sender.send(db, { accountId: identity.accountId, identityId: identity._id, channel: method, to: destination, code, text: `Your verification code is ${code}. It expires in 5 minutes.` });
  return { expiresAt };
}

/** Checks the newest unexpired code of this method; each guess counts, a right one is used up. */
export async function verifyOtp(db: Db, identity: IdentityDocument, method: OtpChannel, code: string): Promise<boolean> {
  const now = new Date();
  const doc = await otpCodes(db).findOneAndUpdate(
    { identityId: identity._id, method, usedAt: null, expiresAt: { $gt: now }, attempts: { $lt: OTP_MAX_ATTEMPTS } },
    { $inc: { attempts: 1 } },
    { sort: { createdAt: -1 }, returnDocument: 'after' },
  );
  if (!doc || !/^\d{6}$/.test(code)) return false;
  const [salt, hash] = doc.codeHash.split('$');
  const expected = Buffer.from(hash ?? '', 'base64url');
  const actual = await hashCode(code, Buffer.from(salt ?? '', 'base64url'));
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return false;
  const used = await otpCodes(db).updateOne({ _id: doc._id, usedAt: null }, { $set: { usedAt: now } });
  return used.modifiedCount === 1;
}
