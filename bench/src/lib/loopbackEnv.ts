// The configuration a benchmark's in-process junction runs with: loopback, any port, a fresh data
// directory and principal secret, plus the scenario's own settings.
import { randomBytes } from 'node:crypto';
import { loadEnv, type Env } from '../../../platform/src/env.js';

export function loopbackEnv(dataDir: string, settings: Record<string, string>): Env {
  return loadEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, PRINCIPAL_SECRET: randomBytes(32).toString('base64url'), ...settings });
}
