// The auth subgraph's collections (`accounts`, `api_keys`) and every read and write of them. The
// launcher, the test stack and the apikey CLI use these functions too (bootstrap paths that run
// before any principal exists); everything else goes through the subgraph's GraphQL.
import type { Db } from 'mongodb';
import { newId } from '../../../platform/src/ids.js';
import { JunctionError } from '../../../platform/src/errors.js';
import type { KeyType, Plan } from '../../../platform/src/principal.js';
import type { AccountDocument, ApiKeyDocument } from './models.js';
import { KEY_PREFIXES, generateApiKey, hashApiKey, keyTypeOf } from './apiKeySecrets.js';
import { ensureIdentityIndexes } from './identityIndexes.js';
import { validateScopes } from './scopes.js';
import { revoking } from './revoking.js';
import { SigningKeys } from './SigningKeys.js';

export const ACCOUNTS = 'accounts';
export const API_KEYS = 'api_keys';

export const accounts = (db: Db) => db.collection<AccountDocument>(ACCOUNTS);
export const apiKeys = (db: Db) => db.collection<ApiKeyDocument>(API_KEYS);

export async function ensureAuthIndexes(db: Db): Promise<void> {
  await SigningKeys.ensureIndexes(db);
  await accounts(db).createIndex({ name: 1 }, { unique: true });
  await apiKeys(db).createIndex({ hash: 1 }, { unique: true });
  await apiKeys(db).createIndex({ accountId: 1, createdAt: 1 });
  await ensureIdentityIndexes(db);
}

/** Old keys stay valid this long after a rotation (seed 003). */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Returns the account with this name, creating it with `plan` when absent. */
export async function ensureAccount(db: Db, name: string, plan: Plan = 'free'): Promise<AccountDocument> {
  const existing = await accounts(db).findOne({ name });
  if (existing) return existing;
  const doc: AccountDocument = { _id: newId('acct'), name, plan, createdAt: new Date() };
  try {
    await accounts(db).insertOne(doc);
    return doc;
  } catch (error) {
    // Two starters raced on the unique name: the other one won, use its account.
    const winner = await accounts(db).findOne({ name });
    if (winner) return winner;
    throw error;
  }
}

export function defaultScopes(type: KeyType): string[] {
  return type === 'readonly' ? ['read'] : ['*'];
}

export interface CreatedKey {
  doc: ApiKeyDocument;
  /** The full key: shown once, never stored. */
  secret: string;
}

export interface NewKeyInput {
  accountId: string;
  type: KeyType;
  plan: Plan;
  secret?: string;
  rateLimits?: ApiKeyDocument['rateLimits'];
  /** Default: all (`*`) for live/test keys, `read` for readonly keys. A readonly key never writes. */
  scopes?: string[];
  expiresAt?: Date | null;
  name?: string | null;
}

export async function createApiKey(db: Db, input: NewKeyInput): Promise<CreatedKey> {
  const secret = input.secret ?? generateApiKey(input.type);
  if (keyTypeOf(secret) !== input.type) throw new JunctionError('INVALID_REQUEST', `Key must start with ${KEY_PREFIXES[input.type]}`, { param: 'secret' });
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new JunctionError('INVALID_REQUEST', 'expiresAt must be in the future', { param: 'expiresAt' });
  const doc: ApiKeyDocument = {
    _id: newId('key'),
    accountId: input.accountId,
    type: input.type,
    hash: hashApiKey(secret),
    prefix: KEY_PREFIXES[input.type],
    last4: secret.slice(-4),
    plan: input.plan,
    scopes: input.scopes ? validateScopes(input.scopes) : defaultScopes(input.type),
    createdAt: new Date(),
    revokedAt: null,
    expiresAt: input.expiresAt ?? null,
    name: input.name ?? null,
    ...(input.rateLimits ? { rateLimits: input.rateLimits } : {}),
  };
  await apiKeys(db).insertOne(doc);
  return { doc, secret };
}

/** Registers a key whose secret comes from configuration (ADMIN_API_KEY); idempotent. */
export async function ensureConfiguredKey(db: Db, input: { accountId: string; type: KeyType; plan: Plan; secret: string }): Promise<ApiKeyDocument> {
  const existing = await apiKeys(db).findOne({ hash: hashApiKey(input.secret) });
  if (existing) return existing;
  try {
    return (await createApiKey(db, input)).doc;
  } catch (error) {
    const winner = await apiKeys(db).findOne({ hash: hashApiKey(input.secret) });
    if (winner) return winner;
    throw error;
  }
}

/** A usable key by hash: not revoked, not expired. */
export async function findActiveKeyByHash(db: Db, hash: string, now = new Date()): Promise<ApiKeyDocument | undefined> {
  const doc = await apiKeys(db).findOne({ hash });
  if (!doc || doc.revokedAt || (doc.expiresAt && doc.expiresAt <= now)) return undefined;
  return doc;
}

export async function listApiKeys(db: Db, accountId: string, includeRevoked: boolean): Promise<ApiKeyDocument[]> {
  const filter = includeRevoked ? { accountId } : { accountId, revokedAt: null };
  return apiKeys(db).find(filter).sort({ createdAt: 1 }).toArray();
}

export async function revokeApiKey(db: Db, accountId: string, id: string): Promise<ApiKeyDocument> {
  // Revoking twice keeps the first revocation time.
  await revoking(db, 'api_key', async (session) => (await apiKeys(db).updateOne({ _id: id, accountId, revokedAt: null }, { $set: { revokedAt: new Date() } }, { session })).modifiedCount);
  const doc = await apiKeys(db).findOne({ _id: id, accountId });
  if (!doc) throw new JunctionError('RESOURCE_NOT_FOUND', `API key ${id} does not exist`, { param: 'id' });
  return doc;
}

export async function findApiKey(db: Db, accountId: string, id: string): Promise<ApiKeyDocument | null> {
  return apiKeys(db).findOne({ _id: id, accountId });
}

/** Every other usable key of this type in the account now expires within 24 h (seed 003). */
export async function expireKeysReplacedBy(db: Db, replacement: ApiKeyDocument, only?: string): Promise<void> {
  const now = new Date();
  const deadline = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  const base = { accountId: replacement.accountId, type: replacement.type, revokedAt: null, _id: only ?? { $ne: replacement._id } };
  // A key that already expires sooner keeps its earlier expiry.
  // A shortened expiry is announced like a revocation: gateways must not keep the old one cached.
  await revoking(db, 'api_key', async (session) => {
    const shortened = await apiKeys(db).updateMany({ ...base, $or: [{ expiresAt: null }, { expiresAt: { $gt: deadline } }] }, { $set: { expiresAt: deadline, rotatedToId: replacement._id } }, { session });
    const marked = await apiKeys(db).updateMany({ ...base, expiresAt: { $gt: now, $lte: deadline }, rotatedToId: null }, { $set: { rotatedToId: replacement._id } }, { session });
    return shortened.modifiedCount + marked.modifiedCount;
  });
}

/** A new key with the same type, plan, scopes and limits; the old one keeps working for 24 h. */
export async function rotateApiKey(db: Db, accountId: string, id: string): Promise<CreatedKey> {
  const old = await findActiveKeyByHashOrId(db, accountId, id);
  const created = await createApiKey(db, {
    accountId,
    type: old.type,
    plan: old.plan,
    scopes: old.scopes,
    name: old.name ?? null,
    ...(old.rateLimits ? { rateLimits: old.rateLimits } : {}),
  });
  await expireKeysReplacedBy(db, created.doc, old._id);
  return created;
}

async function findActiveKeyByHashOrId(db: Db, accountId: string, id: string): Promise<ApiKeyDocument> {
  const doc = await apiKeys(db).findOne({ _id: id, accountId });
  if (!doc || doc.revokedAt || (doc.expiresAt && doc.expiresAt <= new Date())) {
    throw new JunctionError('RESOURCE_NOT_FOUND', `API key ${id} does not exist or is no longer valid`, { param: 'id' });
  }
  return doc;
}
