// OAuth 2.0 clients and authorization codes (RFC 6749 §4.1 with PKCE S256, RFC 7636). Client
// secrets and codes are high-entropy random strings stored as SHA-256; comparisons are constant-time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import { newId, randomBase62 } from '../../../platform/src/ids.js';
import { authorizationCodes, oauthClients } from './identityIndexes.js';
import type { OAuthClientDocument } from './models.js';
import type { AuthorizationCodeDocument } from './identityModels.js';
import { validateScopes } from './scopes.js';

export const CODE_TTL_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

export function sameSecret(given: string, expectedSha256Hex: string): boolean {
  const expected = Buffer.from(expectedSha256Hex, 'hex');
  const actual = sha256(given);
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

function validRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    // https anywhere; http only for loopback (native apps, RFC 8252); never a fragment.
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    return !url.hash && (url.protocol === 'https:' || (url.protocol === 'http:' && loopback) || /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol));
  } catch {
    return false;
  }
}

export async function createOAuthClient(db: Db, input: { accountId: string; name: string; redirectUris: string[]; scopes: string[] }): Promise<{ client: OAuthClientDocument; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new JunctionError('INVALID_REQUEST', 'name must be 1 to 100 characters', { param: 'name' });
  if (input.redirectUris.length === 0 || input.redirectUris.length > 10) throw new JunctionError('INVALID_REQUEST', 'Give 1 to 10 redirect URIs', { param: 'redirectUris' });
  for (const uri of input.redirectUris) {
    if (!validRedirectUri(uri)) throw new JunctionError('INVALID_REQUEST', `Not an acceptable redirect URI: ${uri} (https, or http on loopback, no fragment)`, { param: 'redirectUris' });
  }
  const secret = `cs_${randomBase62(48)}`;
  const client: OAuthClientDocument = {
    _id: newId('cli', 24),
    accountId: input.accountId,
    name,
    secretHash: sha256(secret).toString('hex'),
    redirectUris: [...new Set(input.redirectUris)],
    scopes: validateScopes(input.scopes),
    createdAt: new Date(),
    revokedAt: null,
  };
  await oauthClients(db).insertOne(client);
  return { client, secret };
}

/** An active client by id, whatever its account (OAuth clients act for any person who approves). */
export async function findActiveClient(db: Db, clientId: string): Promise<OAuthClientDocument | null> {
  if (typeof clientId !== 'string' || clientId.length > 100) return null;
  return oauthClients(db).findOne({ _id: clientId, revokedAt: null });
}

/** Client authentication for the token endpoint; null when the id or secret is wrong. */
export async function authenticateClient(db: Db, clientId: string, secret: string): Promise<OAuthClientDocument | null> {
  const client = await findActiveClient(db, clientId);
  // Compare even when the client is unknown, so timing says nothing about which ids exist.
  const ok = sameSecret(secret, client?.secretHash ?? '0'.repeat(64));
  return client && ok ? client : null;
}

/** Requested scopes (space-separated), limited to what the client may ask; default: all of them. */
export function grantedScopes(client: OAuthClientDocument, requested: string | undefined): string[] | undefined {
  if (!requested || !requested.trim()) return client.scopes;
  const asked = [...new Set(requested.trim().split(/\s+/))];
  return asked.every((s) => client.scopes.includes(s)) ? asked : undefined;
}

export async function createAuthorizationCode(db: Db, input: Omit<AuthorizationCodeDocument, '_id' | 'hash' | 'familyId' | 'expiresAt' | 'usedAt'>): Promise<string> {
  const code = `ac_${randomBase62(43)}`;
  await authorizationCodes(db).insertOne({
    ...input,
    _id: newId('acd'),
    hash: sha256(code).toString('hex'),
    familyId: newId('fam'),
    expiresAt: new Date(Date.now() + CODE_TTL_MS),
    usedAt: null,
  });
  return code;
}

export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const actual = Buffer.from(sha256(verifier).toString('base64url'));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export type CodeRedemption = { ok: true; code: AuthorizationCodeDocument } | { ok: false; description: string; replayedFamily?: string };

export interface CodeExchange {
  clientId: string;
  redirectUri: string;
  verifier: string;
}

/** Single use, checked before it is spent: a code presented by another client, with another
 * redirect URI or a wrong PKCE verifier is refused and stays usable by its rightful client (so an
 * intercepted code cannot be burnt). Only then is it claimed, atomically: of two concurrent
 * exchanges one wins. A code that was already redeemed, presented again by its own client, is a
 * replay: the caller revokes `replayedFamily`. */
export async function redeemAuthorizationCode(db: Db, code: string, exchange: CodeExchange): Promise<CodeRedemption> {
  const invalid = { ok: false, description: 'Invalid, expired or already used authorization code' } as const;
  const hash = sha256(code).toString('hex');
  const now = new Date();
  const found = await authorizationCodes(db).findOne({ hash });
  if (!found || found.expiresAt <= now) return invalid;
  if (found.clientId !== exchange.clientId) return { ok: false, description: 'The code was issued to another client' };
  if (found.usedAt) return { ...invalid, replayedFamily: found.familyId };
  if (found.redirectUri !== exchange.redirectUri) return { ok: false, description: 'redirect_uri does not match the authorization request' };
  if (!pkceMatches(exchange.verifier, found.codeChallenge)) return { ok: false, description: 'code_verifier does not match the code_challenge' };
  const claimed = await authorizationCodes(db).findOneAndUpdate({ _id: found._id, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { returnDocument: 'after' });
  return claimed ? { ok: true, code: claimed } : invalid;
}
