// The secret gateway and subgraphs share to sign the principal header. Set PRINCIPAL_SECRET in any
// multi-process deployment; a single-process `npm start` generates one per data dir and keeps it
// in DATA_DIR/principal.secret, so restarts and the CLI agree.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './env.js';

export async function resolvePrincipalSecret(options: { principalSecret: string | undefined; dataDir: string; allowGenerated: boolean }): Promise<string> {
  if (options.principalSecret) return options.principalSecret;
  if (!options.allowGenerated) {
    throw new ConfigError('PRINCIPAL_SECRET', 'must be set when parts run as separate processes (--only); use the same value for the gateway and every subgraph');
  }
  const file = path.join(options.dataDir, 'principal.secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    /* first start */
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}
