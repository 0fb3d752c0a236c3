// Identities, TOTP enrolment and SecureAuth verification (seed 001), all within the caller's account.
import type { IdentityRole, MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import { JunctionError } from '../../../../platform/src/errors.js';
import { appendEvent } from '../../../../platform/src/events/outbox.js';
import type { Principal } from '../../../../platform/src/principal.js';
import type { Db } from 'mongodb';
import { identities, otpCodes, refreshTokens } from '../identityIndexes.js';
import { assertNotLocked, createIdentity, findIdentity, recordSecondFactor } from '../identities.js';
import type { IdentityDocument } from '../models.js';
import { enrollTotp, totpBox, verifyTotp } from '../totp.js';
import { sendOtp, verifyOtp } from '../otpCodes.js';
import { otpSenderFor } from '../OtpSender.js';
import { revoking } from '../revoking.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Another account's id, or one that does not exist, is the same 404. */
async function identityOf(db: Db, principal: Principal, id: string, param: string): Promise<IdentityDocument> {
  const doc = await findIdentity(db, principal.accountId, id);
  if (!doc) throw new JunctionError('RESOURCE_NOT_FOUND', `User ${id} does not exist`, { param, details: { field: param, reason: 'not found' } });
  return doc;
}

/** Identities are people: sandbox (test) keys cannot manage or verify them. */
function assertLive(principal: Principal): void {
  if (principal.mode !== 'live') throw new JunctionError('FORBIDDEN', 'Test keys cannot manage identities');
}

const Query: QueryResolvers = {
  identities: async (_p, _a, { db, principal }) => (principal.mode === 'live' ? identities(db).find({ accountId: principal.accountId }).sort({ createdAt: 1 }).toArray() : []),
  identity: async (_p, { id }, { db, principal }) => {
    if (principal.mode !== 'live') return null;
    const isSelf = principal.keyType === 'jwt' && principal.subject === id;
    if (!isSelf && !principal.scopes.includes('*') && !principal.scopes.includes('admin')) throw new JunctionError('FORBIDDEN', 'This operation needs the admin scope');
    return findIdentity(db, principal.accountId, id);
  },
};

const Mutation: MutationResolvers = {
  createIdentity: async (_p, { email, password, role }, { db, principal }) => {
    assertLive(principal);
    return createIdentity(db, { accountId: principal.accountId, email, password, role: (role ?? 'MEMBER') === 'ADMIN' ? 'admin' : 'member' });
  },
  deleteIdentity: async (_p, { id }, { db, principal }) => {
    assertLive(principal);
    const doc = await identityOf(db, principal, id, 'id');
    await identities(db).deleteOne({ _id: doc._id, accountId: principal.accountId });
    await revoking(db, 'refresh_family', async (session) => (await refreshTokens(db).updateMany({ identityId: doc._id, revokedAt: null }, { $set: { revokedAt: new Date() } }, { session })).modifiedCount);
    await otpCodes(db).deleteMany({ identityId: doc._id });
    return doc;
  },
  enrollTotp: async (_p, { identityId }, { db, principal, config }) => {
    assertLive(principal);
    const id = identityId ?? (principal.keyType === 'jwt' ? principal.subject : undefined);
    if (!id) throw new JunctionError('INVALID_REQUEST', 'identityId is required unless signed in as a person', { param: 'identityId' });
    const isSelf = principal.keyType === 'jwt' && principal.subject === id;
    if (!isSelf && !principal.scopes.includes('*') && !principal.scopes.includes('admin')) throw new JunctionError('FORBIDDEN', 'Enrolling another person needs the admin scope');
    const identity = await identityOf(db, principal, id, 'identityId');
    const { secret, uri } = await enrollTotp(db, totpBox(config), identity);
    return { identity: { ...identity, totp: { secret, enrolledAt: new Date(), lastStep: null } }, otpauthUri: uri, secret };
  },
  verifyUser: async (_p, { userId, method, code }, { db, principal, config }) => {
    assertLive(principal);
    const identity = await identityOf(db, principal, userId, 'user_id');
    const channel = method.toLowerCase() as 'totp' | 'sms' | 'email';
    if (channel === 'totp' && !identity.totp) throw new JunctionError('INVALID_REQUEST', 'This user has not enrolled TOTP', { param: 'method', details: { field: 'method', reason: 'totp not enrolled' } });
    await assertNotLocked(identity);
    const verified = channel === 'totp' ? await verifyTotp(db, totpBox(config), identity, code) : await verifyOtp(db, identity, channel, code);
    await recordSecondFactor(db, identity, verified);
    const timestamp = new Date().toISOString();
    await appendEvent(db, undefined, { type: verified ? 'user.authenticated' : 'user.mfa_failed', accountId: identity.accountId, mode: 'live', data: { user_id: identity._id, method: channel, timestamp } });
    return { verified, userId: identity._id, timestamp };
  },
  sendOtp: async (_p, { userId, method, phone, email }, { db, principal, config }) => {
    assertLive(principal);
    const identity = await identityOf(db, principal, userId, 'user_id');
    const channel = method === 'SMS' ? 'sms' : 'email';
    const { expiresAt } = await sendOtp(db, otpSenderFor(config), identity, channel, channel === 'sms' ? phone : email);
    return { userId: identity._id, method, expiresAt: expiresAt.toISOString() };
  },
};

export const identityResolvers: Resolvers = {
  Query,
  Mutation,
  Identity: {
    id: (doc) => doc._id,
    role: (doc): IdentityRole => (doc.role === 'admin' ? 'ADMIN' : 'MEMBER'),
    totpEnabled: (doc) => doc.totp !== null,
    lockedUntil: (doc) => (doc.lockedUntil && doc.lockedUntil > new Date() ? doc.lockedUntil.toISOString() : null),
    createdAt: (doc) => doc.createdAt.toISOString(),
  },
  OAuthClient: {
    id: (doc) => doc._id,
    createdAt: (doc) => doc.createdAt.toISOString(),
    revokedAt: (doc) => iso(doc.revokedAt),
  },
};
