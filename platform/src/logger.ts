// A small structured logger: one JSON line per entry on stderr (progress lines for people go to
// stdout through `logger.banner`). Redaction is by key name (values under secret-looking keys) and
// by value (a credential inside any string — a message, an error text, a URL — is masked), so a
// key, token, code or secret passed by mistake never reaches the log, whatever field carries it.
import type { LogLevel } from './env.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /secret|password|authorization|api_?key|token|signature/i;

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** Human-facing progress line on stdout (start-up messages, URLs). */
  banner(line: string): void;
  child(fields: Fields): Logger;
}

/** Credentials recognised by their shape wherever they appear in a string. */
const SECRET_VALUES: [RegExp, string][] = [
  [/\btc_(?:live|test|ro)_sk_[A-Za-z0-9]+/g, 'tc_[redacted]'],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, 'whsec_[redacted]'],
  // JWTs (three base64url parts, the first a JSON header).
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // key=value pairs that carry secrets (form bodies, headers written as text, messages).
  [/\b(code|client_secret|refresh_token|access_token|id_token|token|password|secret|api_?key|code_verifier|signature)(["']?\s*[=:]\s*["']?)[^\s&"',;}]+/gi, '$1$2[redacted]'],
  // Query strings of URLs: may carry codes, tokens or personal data.
  [/(\b(?:https?|wss?):\/\/[^\s?#"']*|(?:^|[\s"'(])\/[^\s?#"']*)\?[^\s#"')]*/g, '$1?[redacted]'],
];

export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function createLogger(level: LogLevel = 'info', base: Fields = {}): Logger {
  const min = ORDER[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Fields) => {
    if (ORDER[lvl] < min) return;
    const entry = { time: new Date().toISOString(), level: lvl, msg: redactString(message), ...(redact({ ...base, ...fields }) as Fields) };
    process.stderr.write(JSON.stringify(entry) + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    banner: (line) => {
      if (level !== 'silent') process.stdout.write(line + '\n');
    },
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}
