// The identity side of the auth subgraph's collections and their indexes: identities, refresh
// tokens, OAuth clients and codes, one-time codes and the default OTP sender's message log.
import type { Db } from 'mongodb';
import { ensureOtpSendBudgetIndexes } from './otpSendBudget.js';
import { ensureSignInFailureIndexes } from './signInFailures.js';
import type { IdentityDocument, OAuthClientDocument } from './models.js';
import type { AuthorizationCodeDocument, OtpCodeDocument, RefreshTokenDocument } from './identityModels.js';

export interface OtpMessageDocument {
  _id: string;
  accountId: string;
  identityId: string;
  channel: 'sms' | 'email';
  to: string;
  text: string;
  createdAt: Date;
}

export const identities = (db: Db) => db.collection<IdentityDocument>('identities');
export const refreshTokens = (db: Db) => db.collection<RefreshTokenDocument>('refresh_tokens');
export const oauthClients = (db: Db) => db.collection<OAuthClientDocument>('oauth_clients');
export const authorizationCodes = (db: Db) => db.collection<AuthorizationCodeDocument>('oauth_codes');
export const otpCodes = (db: Db) => db.collection<OtpCodeDocument>('otp_codes');
export const otpMessages = (db: Db) => db.collection<OtpMessageDocument>('otp_messages');

export async function ensureIdentityIndexes(db: Db): Promise<void> {
  await identities(db).createIndex({ email: 1 }, { unique: true });
  await identities(db).createIndex({ accountId: 1, createdAt: 1 });
  await refreshTokens(db).createIndex({ hash: 1 }, { unique: true });
  await refreshTokens(db).createIndex({ familyId: 1 });
  await refreshTokens(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  await oauthClients(db).createIndex({ accountId: 1, createdAt: 1 });
  await authorizationCodes(db).createIndex({ hash: 1 }, { unique: true });
  // Expired codes disappear by themselves (a used code is kept until then, to detect replays).
  await authorizationCodes(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 300 });
  await otpCodes(db).createIndex({ identityId: 1, createdAt: -1 });
  await otpCodes(db).createIndex({ destination: 1, createdAt: -1 });
  await otpCodes(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 3600 });
  await otpMessages(db).createIndex({ identityId: 1, createdAt: -1 });
  await ensureOtpSendBudgetIndexes(db);
  await ensureSignInFailureIndexes(db);
}
