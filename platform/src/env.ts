// All configuration comes from the environment through this module, validated once: a bad value
// stops start-up with a message naming the variable. Importing it also switches off every Apollo
// outbound call (telemetry, usage reporting), so junction runs fully offline.
import path from 'node:path';
import { loadEventsConfig, type EventsConfig } from './events/eventsConfig.js';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface EnterpriseLimits {
  perMinute: number;
  perDay: number;
  /** The hourly scheme's enterprise limit (seeds 000/002/004); default 100,000. */
  perHour?: number;
}

export interface Env {
  /** Gateway port (or the single part's port with `--only`). */
  port: number;
  host: string;
  dataDir: string;
  /** Unset: the embedded server is started on DATA_DIR. */
  mongodbUri: string | undefined;
  mongodbDb: string;
  adminApiKey: string | undefined;
  /** ADMIN_EMAIL + ADMIN_PASSWORD: an admin identity of the default account, made at start-up. */
  adminIdentity: { email: string; password: string } | undefined;
  /** OTP_SENDER_URL: where SecureAuth one-time codes are POSTed; unset: recorded in the database. */
  otpSenderUrl: string | undefined;
  /** Unset: single-process start generates one per data dir (see principalSecret.ts). */
  principalSecret: string | undefined;
  /** `SUBGRAPH_<NAME>_URL` overrides, keyed by lower-case subgraph name. */
  subgraphUrls: Record<string, string>;
  /** `SUBGRAPH_<NAME>_PORT` for `--only <name>`. */
  subgraphPorts: Record<string, number>;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** How long the gateway caches a resolved API key (revocation takes effect within this). */
  keyCacheMs: number;
  /** Rate limits for enterprise keys without a per-key override (seed 003 says "custom"). */
  enterpriseLimits: EnterpriseLimits;
  /** Time allowed for in-flight requests on shutdown. */
  shutdownGraceMs: number;
  /** GATEWAY_INFLIGHT_DEDUP=1: identical queries of one caller in flight at once run once (never mutations, never across callers). */
  inflightDedup: boolean;
  /** Webhooks, dispatcher and subscriptions (WEBHOOK_*, SUBSCRIPTION*), see events/eventsConfig.ts. */
  events: EventsConfig;
}

function integer(src: Source, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = src[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(src: Source, name: string): string {
  const raw = src[name]!;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL: "${raw}"`);
  }
  return raw;
}

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export function loadEnv(src: Source = process.env): Env {
  const logLevel = (src.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${src.LOG_LEVEL}"`);
  }
  const mongodbUri = src.MONGODB_URI || undefined;
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    throw new ConfigError('MONGODB_URI', 'must start with mongodb:// or mongodb+srv://');
  }
  const mongodbDb = src.MONGODB_DB || 'junction';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDb)) throw new ConfigError('MONGODB_DB', `not a valid database name: "${mongodbDb}"`);
  const principalSecret = src.PRINCIPAL_SECRET || undefined;
  if (principalSecret !== undefined && principalSecret.length < 32) {
    throw new ConfigError('PRINCIPAL_SECRET', 'must be at least 32 characters');
  }
  const adminApiKey = src.ADMIN_API_KEY || undefined;
  if (adminApiKey !== undefined && !/^tc_live_sk_[A-Za-z0-9]{16,}$/.test(adminApiKey)) {
    throw new ConfigError('ADMIN_API_KEY', 'must look like tc_live_sk_ followed by at least 16 letters or digits');
  }
  const adminEmail = src.ADMIN_EMAIL || undefined;
  const adminPassword = src.ADMIN_PASSWORD || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'not an email address');
  const host = src.HOST || '0.0.0.0';
  const subgraphUrls: Record<string, string> = {};
  const subgraphPorts: Record<string, number> = {};
  for (const name of Object.keys(src)) {
    const urlMatch = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(name);
    if (urlMatch && src[name]) subgraphUrls[urlMatch[1]!.toLowerCase()] = url(src, name);
    const portMatch = /^SUBGRAPH_([A-Z0-9_]+)_PORT$/.exec(name);
    if (portMatch && src[name]) subgraphPorts[portMatch[1]!.toLowerCase()] = integer(src, name, 0, 0, 65535);
  }
  return {
    port: integer(src, 'PORT', 4000, 0, 65535),
    host,
    dataDir: path.resolve(src.DATA_DIR || './data'),
    mongodbUri,
    mongodbDb,
    adminApiKey,
    adminIdentity: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    otpSenderUrl: src.OTP_SENDER_URL ? url(src, 'OTP_SENDER_URL') : undefined,
    principalSecret,
    subgraphUrls,
    subgraphPorts,
    logLevel: logLevel as LogLevel,
    bodyLimitBytes: integer(src, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    keyCacheMs: integer(src, 'API_KEY_CACHE_MS', 5000, 0, 60_000),
    enterpriseLimits: {
      perMinute: integer(src, 'RATE_LIMIT_ENTERPRISE_PER_MINUTE', 10_000, 1),
      perDay: integer(src, 'RATE_LIMIT_ENTERPRISE_PER_DAY', 10_000_000, 1),
      perHour: integer(src, 'RATE_LIMIT_ENTERPRISE_PER_HOUR', 100_000, 1),
    },
    shutdownGraceMs: integer(src, 'SHUTDOWN_GRACE_MS', 10_000, 0, 300_000),
    inflightDedup: integer(src, 'GATEWAY_INFLIGHT_DEDUP', 0, 0, 1) === 1,
    events: loadEventsConfig(src),
  };
}
