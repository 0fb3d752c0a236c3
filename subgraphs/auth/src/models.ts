// Documents stored by the auth subgraph (codegen maps GraphQL type Xxx to XxxDocument).
import type { KeyType, Plan } from '../../../platform/src/principal.js';

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
}
