// Resolves an API key to its principal through the auth subgraph (which owns accounts and keys),
// as the gateway's own service principal, by the key's SHA-256 only: the secret never leaves the
// gateway. Answers (also "unknown key") are cached for `cacheMs` and dropped at once when any key
// changes (watchCredentialChanges.ts), and concurrent lookups of one key share one round trip.
import { createHash } from 'node:crypto';
import { JunctionError } from '../../../platform/src/errors.js';
import type { EnterpriseLimits } from '../../../platform/src/env.js';
import { PRINCIPAL_HEADER, type KeyType, type Plan, type Principal } from '../../../platform/src/principal.js';
import { signPrincipal } from '../../../platform/src/principalHeader.js';
import { servicePrincipal } from './servicePrincipal.js';
import { allSchemeLimits, limitsFor, type Limits, type RateLimitScheme, type SchemeLimits } from './planLimits.js';

const KEY_PATTERN = /^(tc_live_sk_|tc_test_sk_|tc_ro_sk_)[A-Za-z0-9]{16,128}$/;
const MAX_CACHE_ENTRIES = 50_000;

const QUERY = `query ResolveApiKey($keyHash: String!) {
  resolveApiKey(keyHash: $keyHash) { keyId accountId type plan scopes rateLimitPerMinute rateLimitPerDay }
}`;

interface ResolvedKey {
  keyId: string;
  accountId: string;
  type: 'LIVE' | 'TEST' | 'READONLY';
  plan: 'FREE' | 'STARTER' | 'PRO' | 'ENTERPRISE';
  scopes: string[];
  rateLimitPerMinute: number | null;
  rateLimitPerDay: number | null;
}

export interface Authenticated {
  principal: Principal;
  /** Seed 003's limits (GraphQL, subscriptions, /v2). */
  limits: Limits;
  /** Each REST surface's own limits, by its `rateLimitScheme`. */
  schemeLimits: Record<RateLimitScheme, SchemeLimits>;
}

export interface ApiKeyResolverOptions {
  /** URL of the auth subgraph's GraphQL endpoint. */
  authUrl: () => string;
  secret: string;
  cacheMs: number;
  enterpriseLimits: EnterpriseLimits;
  /** How long one lookup may take before the request answers 503 (default API_KEY_LOOKUP_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** A lookup normally takes milliseconds; past this the auth subgraph is treated as down. */
export const API_KEY_LOOKUP_TIMEOUT_MS = 3_000;

export function looksLikeApiKey(token: string): boolean {
  return KEY_PATTERN.test(token);
}

export class ApiKeyResolver {
  private readonly cache = new Map<string, { value: ResolvedKey | null; expires: number }>();
  private readonly inflight = new Map<string, Promise<ResolvedKey | null>>();

  constructor(private readonly options: ApiKeyResolverOptions) {}

  /** Forget every cached lookup (a key changed: revoked, rotated, expired early). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
    this.inflight.clear();
  }
  private generation = 0;

  async authenticate(key: string, requestId: string): Promise<Authenticated | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = createHash('sha256').update(key).digest('hex');
    const resolved = await this.lookup(hash, requestId);
    if (!resolved) return undefined;
    const keyType = resolved.type.toLowerCase() as KeyType;
    const plan = resolved.plan.toLowerCase() as Plan;
    const override = {
      ...(resolved.rateLimitPerMinute ? { perMinute: resolved.rateLimitPerMinute } : {}),
      ...(resolved.rateLimitPerDay ? { perDay: resolved.rateLimitPerDay } : {}),
    };
    return {
      principal: { accountId: resolved.accountId, mode: keyType === 'test' ? 'test' : 'live', keyType, plan, scopes: resolved.scopes, requestId, keyId: resolved.keyId },
      limits: limitsFor(plan, this.options.enterpriseLimits, override),
      schemeLimits: allSchemeLimits(plan, this.options.enterpriseLimits, override),
    };
  }

  private async lookup(hash: string, requestId: string): Promise<ResolvedKey | null> {
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expires > now) return cached.value;
    const generation = this.generation;
    let pending = this.inflight.get(hash);
    if (!pending) {
      const p: Promise<ResolvedKey | null> = this.fetch(hash, requestId).finally(() => {
        if (this.inflight.get(hash) === p) this.inflight.delete(hash);
      });
      pending = p;
      this.inflight.set(hash, p);
    }
    const value = await pending;
    // A lookup that raced a change is used once but not cached.
    if (this.options.cacheMs > 0 && generation === this.generation) {
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(hash, { value, expires: Date.now() + this.options.cacheMs });
    }
    return value;
  }

  private async fetch(hash: string, requestId: string): Promise<ResolvedKey | null> {
    const service = servicePrincipal(requestId);
    let response: Response;
    try {
      response = await fetch(this.options.authUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(service, this.options.secret), 'x-request-id': requestId },
        body: JSON.stringify({ query: QUERY, variables: { keyHash: hash }, operationName: 'ResolveApiKey' }),
        // Bounds the whole exchange, body included: a hung auth subgraph is a prompt 503, not a hung request.
        signal: AbortSignal.timeout(this.options.timeoutMs ?? API_KEY_LOOKUP_TIMEOUT_MS),
      });
    } catch (error) {
      throw new JunctionError('SERVICE_UNAVAILABLE', 'Authentication service unavailable: retry later', { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { data?: { resolveApiKey: ResolvedKey | null }; errors?: unknown[] };
    if (!response.ok || body.errors?.length || !body.data) {
      throw new JunctionError('SERVICE_UNAVAILABLE', 'Authentication service unavailable: retry later');
    }
    return body.data.resolveApiKey;
  }
}
