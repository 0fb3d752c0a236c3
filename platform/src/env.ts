// All configuration comes from the environment through this module, parsed once at start-up into
// one typed object (`Env`) that is passed down: to the gateway's options and to every subgraph's
// context. Each variable is declared once below with its parser, its default and what it means;
// the README's configuration tables are generated from these declarations (`npm run docs`), and a
// bad value stops start-up with a message naming the variable. Importing this module also
// switches off every Apollo outbound call (telemetry, usage reporting): junction runs offline.
import path from 'node:path';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;
type Parser<T> = (raw: string, variable: string) => T;

/** One environment variable. */
export interface Option<T> {
  variable: string;
  /** The default as a user would write it; absent: unset. */
  default?: string;
  /** How the README shows a default that is not a literal value. */
  defaultText?: string;
  /** What it does (one line of the README table; markdown). */
  doc: string;
  parse: Parser<T>;
  /** Read the value (from `src`, else the default). */
  read(src: Source): T;
}

function option<T>(spec: { variable: string; default: string; defaultText?: string; doc: string; parse: Parser<T> }): Option<T>;
function option<T>(spec: { variable: string; defaultText?: string; doc: string; parse: Parser<T> }): Option<T | undefined>;
function option<T>(spec: { variable: string; default?: string; defaultText?: string; doc: string; parse: Parser<T> }): Option<T | undefined> {
  return {
    ...spec,
    read(src) {
      const raw = src[spec.variable];
      if (raw !== undefined && raw !== '') return spec.parse(raw, spec.variable);
      return spec.default === undefined ? undefined : spec.parse(spec.default, spec.variable);
    },
  };
}

// ---- parsers -------------------------------------------------------------------------------

const integer = (min = 0, max = Number.MAX_SAFE_INTEGER): Parser<number> => (raw, variable) => {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(variable, `expected a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(variable, `must be between ${min} and ${max}, got ${value}`);
  return value;
};

const boolean: Parser<boolean> = (raw, variable) => {
  if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  throw new ConfigError(variable, `expected 1 or 0, got "${raw}"`);
};

/** `500ms`, `10s`, `5m`, `2h` → milliseconds. */
export function parseDuration(variable: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
  if (!m) throw new ConfigError(variable, `expected durations like 500ms, 10s, 5m, 2h; got "${raw}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
const duration: Parser<number> = (raw, variable) => parseDuration(variable, raw);
const durations: Parser<number[]> = (raw, variable) => raw.split(',').map((part) => parseDuration(variable, part));

const url: Parser<string> = (raw, variable) => {
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(variable, `not a valid URL: "${raw}"`);
  }
  return raw;
};

const matching = (pattern: RegExp, message: string): Parser<string> => (raw, variable) => {
  if (!pattern.test(raw)) throw new ConfigError(variable, message);
  return raw;
};

const oneOf = <T extends string>(values: readonly T[]): Parser<T> => (raw, variable) => {
  const value = raw.toLowerCase() as T;
  if (!values.includes(value)) throw new ConfigError(variable, `expected one of ${values.join(', ')}, got "${raw}"`);
  return value;
};

const directory: Parser<string> = (raw) => path.resolve(raw);

// ---- the options ---------------------------------------------------------------------------

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Server, database, identity and gateway settings. */
export const GENERAL_OPTIONS = {
  port: option({ variable: 'PORT', default: '4000', parse: integer(0, 65535), doc: "Gateway port (with `--only <subgraph>`: that subgraph's port unless `SUBGRAPH_<NAME>_PORT`)" }),
  host: option({ variable: 'HOST', default: '0.0.0.0', parse: (raw) => raw, doc: 'Interface the gateway binds (all interfaces, as a server is expected to; `127.0.0.1` for local only). Subgraphs of a single-process start always bind loopback' }),
  dataDir: option({ variable: 'DATA_DIR', default: './data', parse: directory, doc: 'Embedded database files, generated principal secret, demo key' }),
  mongodbUri: option({ variable: 'MONGODB_URI', parse: matching(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'), doc: 'Use this MongoDB (must be a replica set) instead of the embedded server' }),
  mongodbDb: option({ variable: 'MONGODB_DB', default: 'junction', parse: matching(/^[A-Za-z0-9_-]{1,63}$/, 'not a valid database name'), doc: 'Database name' }),
  adminApiKey: option({ variable: 'ADMIN_API_KEY', parse: matching(/^tc_live_sk_[A-Za-z0-9]{16,}$/, 'must look like tc_live_sk_ followed by at least 16 letters or digits'), doc: "A `tc_live_sk_…` key to accept as the default account's enterprise key" }),
  adminEmail: option({ variable: 'ADMIN_EMAIL', parse: matching(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address'), doc: 'With `ADMIN_PASSWORD`: create this admin identity of the default account at start-up (once), so a fresh install can `POST /v1/auth/login`' }),
  adminPassword: option({ variable: 'ADMIN_PASSWORD', parse: (raw) => raw, doc: "The admin identity's password (checked for strength at start-up)" }),
  otpSenderUrl: option({ variable: 'OTP_SENDER_URL', parse: url, doc: 'Provider URL for SecureAuth one-time codes (JSON POST); unset: recorded in `otp_messages` (code masked)' }),
  principalSecret: option({ variable: 'PRINCIPAL_SECRET', defaultText: 'generated', parse: matching(/^.{32,}$/s, 'must be at least 32 characters'), doc: 'HMAC secret shared by gateway and subgraphs (≥ 32 chars); also the root of the keys that encrypt secrets at rest. Single-process: generated once into `DATA_DIR/principal.secret`. Required with `--only`' }),
  logLevel: option({ variable: 'LOG_LEVEL', default: 'info', parse: oneOf(LOG_LEVELS), doc: '`debug`, `info`, `warn`, `error`, `silent` (JSON lines on stderr; secrets redacted)' }),
  bodyLimitBytes: option({ variable: 'BODY_LIMIT_BYTES', default: '1048576', parse: integer(1024, 100 * 1_048_576), doc: 'Largest request body; REST answers 400 `INVALID_REQUEST` (`param: "body"`), GraphQL 413' }),
  keyCacheMs: option({ variable: 'API_KEY_CACHE_MS', default: '5000', parse: integer(0, 60_000), doc: 'How long a gateway caches a key lookup (bounds revocation delay)' }),
  shutdownGraceMs: option({ variable: 'SHUTDOWN_GRACE_MS', default: '10000', parse: integer(0, 300_000), doc: 'Time in-flight requests get on shutdown' }),
  trustedProxies: option({ variable: 'TRUSTED_PROXIES', default: '', defaultText: 'none', parse: matching(/^[0-9A-Fa-f:.,/\s]*$/, 'expected comma-separated IP addresses or CIDRs'), doc: 'Reverse proxies (IPs/CIDRs, comma-separated) whose `X-Forwarded-For` / `X-Forwarded-Proto` the gateway believes' }),
  inflightDedup: option({ variable: 'GATEWAY_INFLIGHT_DEDUP', default: '0', parse: boolean, doc: '`1`: identical queries (same operation, variables and caller) in flight at the same moment run once and share the answer; never mutations, never across callers' }),
};

/** Limits of enterprise keys without a per-key override (the seeds say "custom"). */
export const ENTERPRISE_OPTIONS = {
  perMinute: option({ variable: 'RATE_LIMIT_ENTERPRISE_PER_MINUTE', default: '10000', parse: integer(1), doc: 'Enterprise requests per minute (seed 003 surfaces, GraphQL)' }),
  perDay: option({ variable: 'RATE_LIMIT_ENTERPRISE_PER_DAY', default: '10000000', parse: integer(1), doc: 'Enterprise requests per day (seed 003 surfaces, GraphQL)' }),
  perHour: option({ variable: 'RATE_LIMIT_ENTERPRISE_PER_HOUR', default: '100000', parse: integer(1), doc: 'Enterprise limit of the hourly surfaces `/api/v2`, `/v1` (seeds 000/002/004)' }),
};

/** Webhooks and the dispatcher. */
export const WEBHOOK_OPTIONS = {
  retrySchedule: option({ variable: 'WEBHOOK_RETRY_SCHEDULE', default: '1m,5m,30m,2h,8h', parse: durations, doc: 'Delays before each retry (`ms`, `s`, `m`, `h`); tests use e.g. `1s,2s,5s`' }),
  timeoutMs: option({ variable: 'WEBHOOK_TIMEOUT', default: '10s', parse: duration, doc: 'Receiver deadline per attempt' }),
  leaseMs: option({ variable: 'WEBHOOK_LEASE', defaultText: 'max(30s, 3 × `WEBHOOK_TIMEOUT`)', parse: duration, doc: 'How long a dispatcher owns a claimed delivery; one that dies mid-delivery loses it after this and another delivers it (must exceed the timeout)' }),
  pollMs: option({ variable: 'WEBHOOK_POLL', default: '1s', parse: duration, doc: 'How often a dispatcher looks for due retries' }),
  concurrency: option({ variable: 'WEBHOOK_CONCURRENCY', default: '16', parse: integer(1), doc: 'Concurrent deliveries per dispatcher' }),
  responseLimitBytes: option({ variable: 'WEBHOOK_RESPONSE_LIMIT_BYTES', default: '4096', parse: integer(0), doc: "Bytes of a receiver's answer read and kept per attempt" }),
  allowLoopback: option({ variable: 'WEBHOOK_ALLOW_LOOPBACK', default: '0', parse: boolean, doc: '`1`: allow http and loopback receivers (development)' }),
  dispatcherInProcess: option({ variable: 'WEBHOOK_DISPATCHER', default: '1', parse: boolean, doc: '`0`: `npm start` runs no dispatcher (run `--only dispatcher` instead)' }),
};

/** GraphQL subscriptions over graphql-ws. */
export const SUBSCRIPTION_OPTIONS = {
  maxPerConnection: option({ variable: 'SUBSCRIPTIONS_PER_CONNECTION', default: '100', parse: integer(1), doc: 'Subscriptions one socket may hold (more: an `error` message `RATE_LIMITED`)' }),
  maxConnectionsPerAccount: option({ variable: 'SUBSCRIPTION_CONNECTIONS_PER_ACCOUNT', default: '2000', parse: integer(1), doc: 'Sockets per account (more: closed with `4429`)' }),
  recheckMs: option({ variable: 'SUBSCRIPTION_AUTH_RECHECK', default: '10s', parse: duration, doc: "How often a socket's credentials are checked again (revoked or expired: closed with `4401`)" }),
  keepAliveMs: option({ variable: 'SUBSCRIPTION_KEEPALIVE', default: '12s', parse: duration, doc: 'Ping interval; sockets that do not answer are dropped' }),
};

/** Variables whose name carries a subgraph's name (documented here, parsed in `loadEnv`). */
export const SUBGRAPH_PATTERN_OPTIONS = [
  { variable: 'SUBGRAPH_<NAME>_URL', defaultText: "launcher's ports", doc: 'Subgraph URL for the gateway, e.g. `SUBGRAPH_AUTH_URL=http://auth:4001/graphql`' },
  { variable: 'SUBGRAPH_<NAME>_PORT', defaultText: '`0` (any)', doc: 'Port of that subgraph' },
] as const;

type Values<T> = { [K in keyof T]: T[K] extends Option<infer V> ? V : never };

function readAll<T extends Record<string, Option<unknown>>>(table: T, src: Source): Values<T> {
  const out: Record<string, unknown> = {};
  for (const [key, opt] of Object.entries(table)) out[key] = opt.read(src);
  return out as Values<T>;
}

export interface EnterpriseLimits {
  perMinute: number;
  perDay: number;
  /** The hourly scheme's limit (seeds 000/002/004). */
  perHour?: number;
}

export type EventsConfig = Omit<Values<typeof WEBHOOK_OPTIONS>, 'leaseMs'> & {
  leaseMs: number;
  subscriptions: Values<typeof SUBSCRIPTION_OPTIONS>;
};

export type Env = Omit<Values<typeof GENERAL_OPTIONS>, 'adminEmail' | 'adminPassword'> & {
  /** ADMIN_EMAIL + ADMIN_PASSWORD: an admin identity of the default account, made at start-up. */
  adminIdentity: { email: string; password: string } | undefined;
  /** `SUBGRAPH_<NAME>_URL` overrides, keyed by lower-case subgraph name. */
  subgraphUrls: Record<string, string>;
  /** `SUBGRAPH_<NAME>_PORT` for `--only <name>`. */
  subgraphPorts: Record<string, number>;
  enterpriseLimits: EnterpriseLimits;
  /** Webhooks, dispatcher and subscriptions. */
  events: EventsConfig;
};

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export function loadEnv(src: Source = process.env): Env {
  const { adminEmail, adminPassword, ...general } = readAll(GENERAL_OPTIONS, src);
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }
  const subgraphUrls: Record<string, string> = {};
  const subgraphPorts: Record<string, number> = {};
  for (const [name, raw] of Object.entries(src)) {
    if (!raw) continue;
    const urlMatch = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(name);
    if (urlMatch) subgraphUrls[urlMatch[1]!.toLowerCase()] = url(raw, name);
    const portMatch = /^SUBGRAPH_([A-Z0-9_]+)_PORT$/.exec(name);
    if (portMatch) subgraphPorts[portMatch[1]!.toLowerCase()] = integer(0, 65535)(raw, name);
  }
  const webhooks = readAll(WEBHOOK_OPTIONS, src);
  const leaseMs = webhooks.leaseMs ?? Math.max(30_000, webhooks.timeoutMs * 3);
  if (leaseMs <= webhooks.timeoutMs) throw new ConfigError('WEBHOOK_LEASE', `must be longer than WEBHOOK_TIMEOUT (${webhooks.timeoutMs} ms)`);
  return {
    ...general,
    adminIdentity: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    subgraphUrls,
    subgraphPorts,
    enterpriseLimits: readAll(ENTERPRISE_OPTIONS, src),
    events: { ...webhooks, leaseMs, subscriptions: readAll(SUBSCRIPTION_OPTIONS, src) },
  };
}

/** The option tables the README documents, by section (see app/src/cli/docs.ts). */
export const DOCUMENTED_OPTIONS = {
  general: [...Object.values(GENERAL_OPTIONS), ...SUBGRAPH_PATTERN_OPTIONS, ...Object.values(ENTERPRISE_OPTIONS)],
  events: [...Object.values(WEBHOOK_OPTIONS), ...Object.values(SUBSCRIPTION_OPTIONS)],
};
