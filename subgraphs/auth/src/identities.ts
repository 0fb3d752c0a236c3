// Identities (email + password) and password sign-in with slow-down and lockout. Used by the auth
// subgraph's resolvers and, for the unauthenticated sign-in endpoints (login, OAuth consent), by the
// gateway in-process the way bootstrap and the CLI use store.ts.
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import { appendEvent } from '../../../platform/src/events/outbox.js';
import { newId } from '../../../platform/src/ids.js';
import type { Plan } from '../../../platform/src/principal.js';
import { identities } from './identityIndexes.js';
import type { IdentityDocument, IdentityRoleName } from './models.js';
import { DUMMY_HASH, assertStrongPassword, hashPassword, verifyPassword } from './passwords.js';
import { accounts } from './store.js';
import { failureKey, recordUnknownFailure, unknownLockedUntil } from './signInFailures.js';

/** Consecutive failures before the identity is locked, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;
/** From the third failure on, each wrong answer waits longer (up to 2 s) before it is sent. */
const slowDownMs = (failures: number) => (failures < 3 ? 0 : Math.min(250 * 2 ** (failures - 3), 2000));

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!EMAIL.test(value)) throw new JunctionError('INVALID_EMAIL', 'Not a valid email address', { param: 'email', details: { field: 'email', reason: 'must be a valid email address' } });
  return value;
}

export async function createIdentity(db: Db, input: { accountId: string; email: string; password: string; role: IdentityRoleName }): Promise<IdentityDocument> {
  const email = normaliseEmail(input.email);
  assertStrongPassword(input.password, email);
  const doc: IdentityDocument = {
    _id: newId('user'),
    accountId: input.accountId,
    email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    failedLogins: 0,
    lockedUntil: null,
    totp: null,
    createdAt: new Date(),
  };
  try {
    await identities(db).insertOne(doc);
  } catch (error) {
    if ((error as { code?: number }).code === 11000) throw new JunctionError('CONFLICT', 'An identity with this email already exists', { param: 'email' });
    throw error;
  }
  return doc;
}

/** ADMIN_EMAIL / ADMIN_PASSWORD: creates the admin identity once; an existing one is left as is. */
export async function ensureAdminIdentity(db: Db, accountId: string, email: string, password: string): Promise<IdentityDocument> {
  const existing = await identities(db).findOne({ email: normaliseEmail(email) });
  if (existing) return existing;
  try {
    return await createIdentity(db, { accountId, email, password, role: 'admin' });
  } catch (error) {
    const winner = await identities(db).findOne({ email: normaliseEmail(email) });
    if (winner) return winner;
    throw error;
  }
}

export function findIdentity(db: Db, accountId: string, id: string): Promise<IdentityDocument | null> {
  return identities(db).findOne({ _id: id, accountId });
}

export interface SignedIn {
  identity: IdentityDocument;
  plan: Plan;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks email + password. A wrong answer (unknown email included) is UNAUTHORIZED with one
 * message; a locked identity is refused without checking the password. Emits user.authenticated. */
export async function passwordSignIn(db: Db, emailInput: string, password: string, options: { secret: string; method?: string }): Promise<SignedIn> {
  const method = options.method ?? 'password';
  const refused = () => new JunctionError('UNAUTHORIZED', 'Invalid email or password');
  const lockedError = (until: Date) => new JunctionError('FORBIDDEN', 'Too many failed sign-ins: this identity is locked for a while', { details: { locked_until: until.toISOString() } });
  let email: string | undefined;
  try {
    email = normaliseEmail(emailInput);
  } catch {
    email = undefined;
  }
  const identity = email ? await identities(db).findOne({ email }) : null;
  if (!identity) {
    // An unknown email answers as a known one would: same cost, same slow-down, same lock.
    const key = failureKey(options.secret, email ?? emailInput.trim().toLowerCase());
    const until = await unknownLockedUntil(db, key);
    if (until) throw lockedError(until);
    await verifyPassword(password, DUMMY_HASH);
    await sleep(slowDownMs(await recordUnknownFailure(db, key, LOCK_AFTER_FAILURES, LOCK_MS)));
    throw refused();
  }
  const now = new Date();
  if (identity.lockedUntil && identity.lockedUntil > now) throw lockedError(identity.lockedUntil);
  if (!(await verifyPassword(password, identity.passwordHash))) {
    const updated = await identities(db).findOneAndUpdate({ _id: identity._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' });
    const failures = updated?.failedLogins ?? 1;
    if (failures >= LOCK_AFTER_FAILURES) {
      await identities(db).updateOne({ _id: identity._id }, { $set: { lockedUntil: new Date(Date.now() + LOCK_MS), failedLogins: 0 } });
    }
    await sleep(slowDownMs(failures));
    throw refused();
  }
  await identities(db).updateOne({ _id: identity._id }, { $set: { failedLogins: 0, lockedUntil: null } });
  const account = await accounts(db).findOne({ _id: identity.accountId });
  await appendEvent(db, undefined, { type: 'user.authenticated', accountId: identity.accountId, mode: 'live', data: { user_id: identity._id, method, timestamp: new Date().toISOString() } });
  return { identity, plan: account?.plan ?? 'free' };
}

/** Scopes a signed-in person holds: admins everything, members read and write data (not admin). */
export function scopesOfRole(role: IdentityRoleName): string[] {
  return role === 'admin' ? ['*'] : ['read', 'write'];
}

/** Second-factor guesses count like password guesses: five wrong codes lock the identity too, so a
 * six-digit code cannot be brute-forced through verify. Throws FORBIDDEN while locked. */
export async function assertNotLocked(identity: IdentityDocument): Promise<void> {
  if (identity.lockedUntil && identity.lockedUntil > new Date()) {
    throw new JunctionError('FORBIDDEN', 'Too many failed attempts: this user is locked for a while', { details: { locked_until: identity.lockedUntil.toISOString() } });
  }
}

export async function recordSecondFactor(db: Db, identity: IdentityDocument, ok: boolean): Promise<void> {
  if (ok) {
    await identities(db).updateOne({ _id: identity._id }, { $set: { failedLogins: 0 } });
    return;
  }
  const updated = await identities(db).findOneAndUpdate({ _id: identity._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' });
  if ((updated?.failedLogins ?? 0) >= LOCK_AFTER_FAILURES) {
    await identities(db).updateOne({ _id: identity._id }, { $set: { lockedUntil: new Date(Date.now() + LOCK_MS), failedLogins: 0 } });
  }
}
