// `npm run apikey -- create --type live|test|readonly --plan free|starter|pro|enterprise [--account <name>]`
// prints a new API key once. `npm run apikey -- list [--account <name>]` lists keys (prefix + last 4),
// `npm run apikey -- revoke <key id> [--account <name>]` revokes one; `rotate <key id>` makes a new key
// of the same type (the old one keeps working for 24 hours). `create` takes `--scopes a,b` and
// `--expires <ISO 8601>`.
// Database: MONGODB_URI when set; else the embedded server a running `npm start` advertises in
// DATA_DIR/mongo.uri; else (nothing running) the CLI opens DATA_DIR's embedded database itself.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../../../platform/src/env.js';
import { connectDatabase, createClient, mongoUriFile, type Database } from '../../../platform/src/mongo.js';
import type { KeyType, Plan } from '../../../platform/src/principal.js';
import { accounts, ensureAccount, createApiKey, ensureAuthIndexes, listApiKeys, revokeApiKey, rotateApiKey } from '../../../subgraphs/auth/src/store.js';
import { DEFAULT_ACCOUNT } from '../bootstrap.js';
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';

const TYPES: KeyType[] = ['live', 'test', 'readonly'];
const PLANS: Plan[] = ['free', 'starter', 'pro', 'enterprise'];
const USAGE = `usage:
  npm run apikey -- create --type live|test|readonly --plan free|starter|pro|enterprise [--account <name>]
                           [--per-minute <n>] [--per-day <n>]   (custom limits, e.g. for enterprise)
                           [--scopes commerce:read,webhooks:write] [--expires 2030-01-01T00:00:00Z]
  npm run apikey -- list [--account <name>]
  npm run apikey -- revoke <key id> [--account <name>]
  npm run apikey -- rotate <key id> [--account <name>]   (the old key stays valid for 24 hours)`;

async function openDatabase(): Promise<Database> {
  const env = loadEnv();
  if (env.mongodbUri) return connectDatabase({ mongodbUri: env.mongodbUri, mongodbDb: env.mongodbDb, dataDir: env.dataDir });
  const advertised = await readFile(mongoUriFile(env.dataDir), 'utf8').then((s) => s.trim(), () => undefined);
  if (advertised) {
    const client = createClient(advertised);
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return { client, db: client.db(env.mongodbDb), uri: advertised, embedded: false, close: () => client.close() };
    } catch {
      await client.close().catch(() => undefined);
      // Stale file from a crashed run: fall through and open the data dir ourselves.
    }
  }
  return connectDatabase({ mongodbUri: undefined, mongodbDb: env.mongodbDb, dataDir: env.dataDir, startEmbedded: startEmbeddedMongo });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      plan: { type: 'string' },
      account: { type: 'string', default: DEFAULT_ACCOUNT },
      'per-minute': { type: 'string' },
      'per-day': { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command !== 'create' && command !== 'list' && command !== 'revoke' && command !== 'rotate') {
    console.error(USAGE);
    return 2;
  }
  if (command === 'create') {
    if (!TYPES.includes(values.type as KeyType)) return fail(`--type must be one of ${TYPES.join(', ')}`);
    if (!PLANS.includes(values.plan as Plan)) return fail(`--plan must be one of ${PLANS.join(', ')}`);
  }
  if ((command === 'revoke' || command === 'rotate') && !positionals[1]) return fail(`${command} needs a key id (see list)`);
  const expires = values.expires ? new Date(values.expires) : undefined;
  if (expires && Number.isNaN(expires.getTime())) return fail('--expires must be an ISO 8601 date');
  const rateLimits: { perMinute?: number; perDay?: number } = {};
  for (const [flag, field] of [['per-minute', 'perMinute'], ['per-day', 'perDay']] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    if (!/^[1-9]\d*$/.test(raw)) return fail(`--${flag} must be a positive whole number`);
    rateLimits[field] = Number(raw);
  }
  const database = await openDatabase();
  try {
    await ensureAuthIndexes(database.db);
    // Creating a key creates its account when new; listing and revoking never do.
    const account = command === 'create' ? await ensureAccount(database.db, values.account!, values.plan as Plan) : await accounts(database.db).findOne({ name: values.account! });
    if (!account) {
      console.error(`apikey: no account named "${values.account}"`);
      return 1;
    }
    if (command === 'create') {
      const { doc, secret } = await createApiKey(database.db, {
        accountId: account._id,
        type: values.type as KeyType,
        plan: values.plan as Plan,
        ...(Object.keys(rateLimits).length > 0 ? { rateLimits } : {}),
        ...(values.scopes ? { scopes: values.scopes.split(',').map((x) => x.trim()).filter(Boolean) } : {}),
        ...(expires ? { expiresAt: expires } : {}),
      });
      console.log(`Created ${doc.type} key ${doc._id} (plan ${doc.plan}) for account "${account.name}" (${account._id}).`);
      console.log('The key is shown only once:');
      console.log(secret);
    } else if (command === 'list') {
      for (const key of await listApiKeys(database.db, account._id, true)) {
        console.log(`${key._id}  ${key.prefix}…${key.last4}  ${key.type.padEnd(8)} ${key.plan.padEnd(10)} scopes ${key.scopes.join(',')}  created ${key.createdAt.toISOString()}${key.expiresAt ? `  expires ${key.expiresAt.toISOString()}` : ''}${key.revokedAt ? `  revoked ${key.revokedAt.toISOString()}` : ''}`);
      }
    } else if (command === 'rotate') {
      const { doc, secret } = await rotateApiKey(database.db, account._id, positionals[1]!);
      console.log(`Rotated ${positionals[1]}: it keeps working for 24 hours. New ${doc.type} key ${doc._id}, shown only once:`);
      console.log(secret);
    } else {
      const key = await revokeApiKey(database.db, account._id, positionals[1]!);
      console.log(`Revoked ${key._id} (${key.prefix}…${key.last4}); every gateway stops accepting it at once.`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

function fail(message: string): number {
  console.error(`apikey: ${message}\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`apikey: ${error instanceof ConfigError ? `invalid configuration: ${error.message}` : error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
