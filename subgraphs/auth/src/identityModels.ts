// Stored documents of the identity side that no GraphQL type maps (so codegen ignores them).

/** One refresh token; a login or an authorization code starts a family, each use rotates within it. */
export interface RefreshTokenDocument {
  _id: string;
  /** SHA-256 (hex) of the token. */
  hash: string;
  familyId: string;
  identityId: string;
  accountId: string;
  clientId: string | null;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthorizationCodeDocument {
  _id: string;
  hash: string;
  clientId: string;
  identityId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  /** Refresh tokens issued for this code carry this family, so a replayed code revokes them. */
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export type OtpChannel = 'sms' | 'email';

/** A one-time code sent by otp/send: only its scrypt hash is kept. */
export interface OtpCodeDocument {
  _id: string;
  accountId: string;
  identityId: string;
  method: OtpChannel;
  destination: string;
  codeHash: string;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}
