// Configuration of the event backbone (webhooks, dispatcher, subscriptions), parsed from the same
// environment source as the rest (env.ts calls `loadEventsConfig`) and validated at start-up.
// `setEventsConfig` makes the validated values visible to the parts that run in this process.
import { ConfigError } from '../env.js';

export interface EventsConfig {
  /** Delays before each retry; the default is seed 003's 1 min, 5 min, 30 min, 2 h, 8 h. */
  retrySchedule: number[];
  /** Allow http:// and loopback receivers (development and tests). */
  allowLoopback: boolean;
  /** Receiver timeout per attempt (seed 003: 10 s). */
  timeoutMs: number;
  /** How long a dispatcher owns a claimed delivery; a dispatcher that dies mid-delivery loses it
   * after this and another one delivers it. Must exceed the timeout. */
  leaseMs: number;
  /** How often a dispatcher looks for due deliveries (retries, other processes' work). */
  pollMs: number;
  /** Run the dispatcher inside `npm start` (all parts); `--only dispatcher` always runs it. */
  dispatcherInProcess: boolean;
  /** Concurrent deliveries per dispatcher process. */
  concurrency: number;
  /** Response bytes kept (and read) per attempt. */
  responseLimitBytes: number;
  subscriptions: {
    maxPerConnection: number;
    maxConnectionsPerAccount: number;
    /** How often a connection's credentials are checked again (revocation closes the socket). */
    recheckMs: number;
    keepAliveMs: number;
  };
}

type Source = Record<string, string | undefined>;

export const DEFAULT_RETRY_SCHEDULE = '1m,5m,30m,2h,8h';

export function parseDuration(name: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
  if (!m) throw new ConfigError(name, `expected durations like 500ms, 10s, 5m, 2h; got "${raw}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

function int(src: Source, name: string, fallback: number, min: number): number {
  const raw = src[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new ConfigError(name, `expected a whole number ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

function bool(src: Source, name: string, fallback: boolean): boolean {
  const raw = src[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `expected 1 or 0, got "${raw}"`);
}

export function loadEventsConfig(src: Source): EventsConfig {
  const scheduleRaw = src.WEBHOOK_RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE;
  const retrySchedule = scheduleRaw.split(',').map((part) => parseDuration('WEBHOOK_RETRY_SCHEDULE', part));
  const timeoutMs = src.WEBHOOK_TIMEOUT ? parseDuration('WEBHOOK_TIMEOUT', src.WEBHOOK_TIMEOUT) : 10_000;
  const leaseMs = src.WEBHOOK_LEASE ? parseDuration('WEBHOOK_LEASE', src.WEBHOOK_LEASE) : Math.max(30_000, timeoutMs * 3);
  if (leaseMs <= timeoutMs) throw new ConfigError('WEBHOOK_LEASE', `must be longer than WEBHOOK_TIMEOUT (${timeoutMs} ms)`);
  return {
    retrySchedule,
    allowLoopback: bool(src, 'WEBHOOK_ALLOW_LOOPBACK', false),
    timeoutMs,
    leaseMs,
    pollMs: src.WEBHOOK_POLL ? parseDuration('WEBHOOK_POLL', src.WEBHOOK_POLL) : 1000,
    dispatcherInProcess: bool(src, 'WEBHOOK_DISPATCHER', true),
    concurrency: int(src, 'WEBHOOK_CONCURRENCY', 16, 1),
    responseLimitBytes: int(src, 'WEBHOOK_RESPONSE_LIMIT_BYTES', 4096, 0),
    subscriptions: {
      maxPerConnection: int(src, 'SUBSCRIPTIONS_PER_CONNECTION', 100, 1),
      maxConnectionsPerAccount: int(src, 'SUBSCRIPTION_CONNECTIONS_PER_ACCOUNT', 2000, 1),
      recheckMs: src.SUBSCRIPTION_AUTH_RECHECK ? parseDuration('SUBSCRIPTION_AUTH_RECHECK', src.SUBSCRIPTION_AUTH_RECHECK) : 10_000,
      keepAliveMs: src.SUBSCRIPTION_KEEPALIVE ? parseDuration('SUBSCRIPTION_KEEPALIVE', src.SUBSCRIPTION_KEEPALIVE) : 12_000,
    },
  };
}

let current: EventsConfig | undefined;

export function setEventsConfig(config: EventsConfig): void {
  current = config;
}

/** The configuration set at start-up (or, for code run outside the launcher, the environment's). */
export function eventsConfig(): EventsConfig {
  return (current ??= loadEventsConfig(process.env));
}
