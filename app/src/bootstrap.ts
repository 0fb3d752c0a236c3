// First-start and every-start data: indexes of every part, the ADMIN_API_KEY key, and (once per
// database) the demo account with a demo key written to DATA_DIR/demo-api-key.txt and each
// subgraph's demo data. The `junction_meta` collection remembers what was seeded.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from 'mongodb';
import { ensureEventIndexes } from '../../platform/src/events/outbox.js';
import type { Logger } from '../../platform/src/logger.js';
import type { Env } from '../../platform/src/env.js';
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { ReservingRateLimiter } from '../../gateway/src/security/ReservingRateLimiter.js';

export const DEFAULT_ACCOUNT = 'default';
const META = 'junction_meta';

export async function ensureAllIndexes(db: Db, modules: SubgraphModule<any>[]): Promise<void> {
  await ensureEventIndexes(db);
  await ReservingRateLimiter.ensureIndexes(db);
  for (const module of modules) await module.ensureIndexes(db);
}

export interface BootstrapResult {
  accountId: string;
  /** Set on the first start only (the key is shown once). */
  demoKey?: string;
  demoKeyFile?: string;
}

export async function bootstrapData(options: { db: Db; modules: SubgraphModule<any>[]; adminApiKey: string | undefined; adminIdentity?: { email: string; password: string } | undefined; dataDir: string; config: Env; logger: Logger }): Promise<BootstrapResult> {
  const { db, logger } = options;
  // Accounts, keys and identities belong to one module (auth); it writes them, through its hook.
  const owner = options.modules.find((m) => m.accounts)?.accounts;
  if (!owner) throw new Error('bootstrap: no subgraph module owns accounts (SubgraphModule.accounts)');
  const { accountId } = await owner.ensureAccount(db, { accountName: DEFAULT_ACCOUNT, adminApiKey: options.adminApiKey, adminIdentity: options.adminIdentity, config: options.config });
  const meta = db.collection<{ _id: string; at: Date }>(META);
  const first = await meta.updateOne({ _id: 'demo-seed' }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  if (first.upsertedCount === 0) return { accountId };

  const result: BootstrapResult = { accountId };
  if (!options.adminApiKey) {
    const secret = await owner.createDemoKey(db, accountId);
    await mkdir(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, 'demo-api-key.txt');
    await writeFile(file, secret + '\n', { mode: 0o600 });
    result.demoKey = secret;
    result.demoKeyFile = file;
  }
  for (const module of options.modules) {
    if (module.seedDemoData) {
      logger.banner(`  seeding demo data: ${module.name}`);
      await module.seedDemoData(db, accountId, options.config);
    }
  }
  return result;
}
