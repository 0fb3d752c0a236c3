// Refresh tokens: opaque, stored as SHA-256, one family per sign-in. Each use rotates (the used
// token dies, a new one of the same family is returned); presenting a token that was already used
// means it was copied, so the whole family is revoked (OAuth 2.0 Security BCP, refresh token
// rotation). Logout revokes the family.
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { newId, randomBase62 } from '../../../platform/src/ids.js';
import { refreshTokens } from './identityIndexes.js';
import type { RefreshTokenDocument } from './identityModels.js';
import { revoking } from './revoking.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssuedRefreshToken {
  token: string;
  doc: RefreshTokenDocument;
}

export async function issueRefreshToken(db: Db, input: { identityId: string; accountId: string; clientId: string | null; scopes: string[]; familyId?: string }): Promise<IssuedRefreshToken> {
  const token = `rt_${randomBase62(48)}`;
  const now = new Date();
  const doc: RefreshTokenDocument = {
    _id: newId('rtk'),
    hash: hashToken(token),
    familyId: input.familyId ?? newId('fam'),
    identityId: input.identityId,
    accountId: input.accountId,
    clientId: input.clientId,
    scopes: input.scopes,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
    usedAt: null,
    revokedAt: null,
  };
  await refreshTokens(db).insertOne(doc);
  return { token, doc };
}

export type RefreshOutcome = { ok: true; used: RefreshTokenDocument; next: IssuedRefreshToken } | { ok: false; reason: 'unknown' | 'reused' | 'revoked' | 'expired' | 'wrong_client' };

/** Consumes `token` and returns its successor; `clientId` must match the client it was issued to
 * (null for first-party logins). */
export async function rotateRefreshToken(db: Db, token: string, clientId: string | null): Promise<RefreshOutcome> {
  const hash = hashToken(token);
  const now = new Date();
  const current = await refreshTokens(db).findOne({ hash });
  if (!current) return { ok: false, reason: 'unknown' };
  if (current.clientId !== clientId) return { ok: false, reason: 'wrong_client' };
  if (current.revokedAt) return { ok: false, reason: 'revoked' };
  if (current.expiresAt <= now) return { ok: false, reason: 'expired' };
  // The atomic claim: of two concurrent uses, one wins and the other is a reuse.
  const claimed = await refreshTokens(db).findOneAndUpdate({ _id: current._id, usedAt: null, revokedAt: null }, { $set: { usedAt: now } }, { returnDocument: 'after' });
  if (!claimed) {
    await revokeFamily(db, current.familyId);
    return { ok: false, reason: 'reused' };
  }
  const next = await issueRefreshToken(db, { identityId: claimed.identityId, accountId: claimed.accountId, clientId: claimed.clientId, scopes: claimed.scopes, familyId: claimed.familyId });
  return { ok: true, used: claimed, next };
}

export async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await revoking(db, 'refresh_family', async (session) => (await refreshTokens(db).updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } }, { session })).modifiedCount);
}

/** Logout: revokes the family of this token. Answers whether the token was known. */
export async function revokeRefreshToken(db: Db, token: string): Promise<boolean> {
  const doc = await refreshTokens(db).findOne({ hash: hashToken(token) });
  if (!doc) return false;
  await revokeFamily(db, doc.familyId);
  return true;
}

export async function isFamilyRevoked(db: Db, familyId: string): Promise<boolean> {
  return (await refreshTokens(db).countDocuments({ familyId, revokedAt: { $ne: null } }, { limit: 1 })) > 0;
}
