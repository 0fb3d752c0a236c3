// The auth subgraph's collections (`accounts`, `api_keys`) and every read and write of them. The
// launcher, the test stack and the apikey CLI use these functions too (bootstrap paths that run
// before any principal exists); everything else goes through the subgraph's GraphQL.
import type { Db } from 'mongodb';
import { newId } from '../../../platform/src/ids.js';
import { JunctionError } from '../../../platform/src/errors.js';
import type { KeyType, Plan } from '../../../platform/src/principal.js';
import type { AccountDocument, ApiKeyDocument } from './models.js';
import { KEY_PREFIXES, generateApiKey, hashApiKey, keyTypeOf } from './apiKeySecrets.js';

export const ACCOUNTS = 'accounts';
export const API_KEYS = 'api_keys';

export const accounts = (db: Db) => db.collection<AccountDocument>(ACCOUNTS);
export const apiKeys = (db: Db) => db.collection<ApiKeyDocument>(API_KEYS);

export async function ensureAuthIndexes(db: Db): Promise<void> {
  await accounts(db).createIndex({ name: 1 }, { unique: true });
  await apiKeys(db).createIndex({ hash: 1 }, { unique: true });
  await apiKeys(db).createIndex({ accountId: 1, createdAt: 1 });
}

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

export async function createApiKey(db: Db, input: { accountId: string; type: KeyType; plan: Plan; secret?: string; rateLimits?: ApiKeyDocument['rateLimits'] }): Promise<CreatedKey> {
  const secret = input.secret ?? generateApiKey(input.type);
  if (keyTypeOf(secret) !== input.type) throw new JunctionError('INVALID_REQUEST', `Key must start with ${KEY_PREFIXES[input.type]}`, { param: 'secret' });
  const doc: ApiKeyDocument = {
    _id: newId('key'),
    accountId: input.accountId,
    type: input.type,
    hash: hashApiKey(secret),
    prefix: KEY_PREFIXES[input.type],
    last4: secret.slice(-4),
    plan: input.plan,
    scopes: defaultScopes(input.type),
    createdAt: new Date(),
    revokedAt: null,
    expiresAt: null,
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
  await apiKeys(db).updateOne({ _id: id, accountId, revokedAt: null }, { $set: { revokedAt: new Date() } });
  const doc = await apiKeys(db).findOne({ _id: id, accountId });
  if (!doc) throw new JunctionError('RESOURCE_NOT_FOUND', `API key ${id} does not exist`, { param: 'id' });
  return doc;
}
