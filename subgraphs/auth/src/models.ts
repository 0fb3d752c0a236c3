// Documents stored by the auth subgraph (codegen maps GraphQL type Xxx to XxxDocument).
import type { KeyType, Plan } from '../../../platform/src/principal.js';
import type { SealedSecret } from '../../../platform/src/crypto/SecretBox.js';

export interface AccountDocument {
  _id: string;
  name: string;
  plan: Plan;
  createdAt: Date;
}

export interface ApiKeyDocument {
  _id: string;
  accountId: string;
  type: KeyType;
  /** SHA-256 (hex) of the full key; the key itself is never stored. */
  hash: string;
  prefix: string;
  last4: string;
  plan: Plan;
  scopes: string[];
  /** Per-key overrides of the plan's limits (enterprise "custom"). */
  rateLimits?: { perMinute?: number; perDay?: number };
  createdAt: Date;
  revokedAt?: Date | null;
  expiresAt?: Date | null;
  /** A label the admin chose. */
  name?: string | null;
  /** Set when a rotation replaced this key (it then expires 24 h after the rotation). */
  rotatedToId?: string | null;
}

export type IdentityRoleName = 'admin' | 'member';

/** A person who signs in with email and password (CloudPioneer login, OAuth consent, SecureAuth). */
export interface IdentityDocument {
  _id: string;
  accountId: string;
  /** Lower-cased; unique across the installation (login names no account). */
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url), see passwords.ts. */
  passwordHash: string;
  role: IdentityRoleName;
  /** Consecutive failed sign-ins; reset by a success. */
  failedLogins: number;
  lockedUntil: Date | null;
  /** `secret` is sealed (SecretBox, purpose `totp-secrets`); a plain string is a secret stored
   * before encryption at rest, sealed on its next use. */
  totp: { secret: string | SealedSecret; enrolledAt: Date; lastStep: number | null } | null;
  createdAt: Date;
}

export interface OAuthClientDocument {
  _id: string;
  accountId: string;
  name: string;
  /** SHA-256 (hex) of the client secret; the secret is shown once. */
  secretHash: string;
  redirectUris: string[];
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}
