// One helper for end-to-end tests: starts the whole of junction the way `npm start` does (embedded
// database in a temp dir, every registered subgraph and the gateway, all on port 0), creates
// accounts and keys, and stops everything. Start one stack per test file (beforeAll/afterAll).
//
//   const stack = await startStack();
//   const res = await stack.request('GET', '/v2/users', { key: stack.keys.live });
//   const gql = await stack.graphql('{ viewer { id } }');          // live key by default
//   await stack.stop();
//
// Keys (all shown once, here in clear): `live`, `test`, `readonly` belong to the main account
// (`accounts.main`, plan enterprise: high limits so tests are not rate limited); `free` is a live
// free-plan key of the main account (60/min, for rate-limit tests); `otherAccountLive` is a live
// key of a second account (`accounts.other`), for isolation tests.
// This API is stable: add fields, do not change existing ones.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { composeSupergraph } from '../../app/src/compose.js';
import { loadEnv } from '../../platform/src/env.js';
import { createLogger } from '../../platform/src/logger.js';
import { startJunction, type Junction } from '../../app/src/startJunction.js';
import { subgraphs as registeredSubgraphs } from '../../app/src/subgraphRegistry.js';
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { restApis as registeredApis } from '../../gateway/src/rest/apis.js';
import type { RestApi } from '../../gateway/src/rest/RestRoute.js';
import { createApiKey, ensureAccount } from '../../subgraphs/auth/src/store.js';

export interface StackResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text ('' for an empty body). */
  body: T;
}

export interface RequestOptions {
  /** API key; default `keys.live`. Pass `null` to send no Authorization header. */
  key?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body` (malformed-JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Stack {
  /** Gateway base URL, e.g. http://127.0.0.1:43121 */
  url: string;
  keys: { live: string; test: string; readonly: string; free: string; otherAccountLive: string };
  accounts: { main: string; other: string };
  db: Db;
  client: MongoClient;
  /** Subgraph name → its direct URL (direct calls must be refused without a signed principal). */
  subgraphUrls: Record<string, string>;
  principalSecret: string;
  dataDir: string;
  /** The database's URI (the embedded server's, or JUNCTION_TEST_MONGODB_URI) and name. */
  mongoUri: string;
  mongoDbName: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<StackResponse<T>>;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, options?: Omit<RequestOptions, 'body' | 'rawBody'>): Promise<StackResponse<T>>;
  /** Starts another gateway on the same database and subgraphs (as a second process would be). */
  startGateway(): Promise<{ url: string; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  modules?: SubgraphModule<any>[];
  restApis?: RestApi[];
  /** Extra environment (e.g. `{ API_KEY_CACHE_MS: '0' }`). */
  env?: Record<string, string>;
  /** Every part gets its own driver client and reports each command it starts (ownership tests). */
  commandMonitor?: (part: string, event: CommandStartedEvent) => void;
}

async function send(url: string, method: string, options: RequestOptions, defaultKey: string): Promise<StackResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? defaultKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const modules = options.modules ?? registeredSubgraphs;
  const restApis = options.restApis ?? registeredApis;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'junction-test-'));
  const envVars: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PRINCIPAL_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(process.env.JUNCTION_TEST_MONGODB_URI ? { MONGODB_URI: process.env.JUNCTION_TEST_MONGODB_URI, MONGODB_DB: `test_${randomBytes(4).toString('hex')}` } : {}),
    ...options.env,
  };
  const env = loadEnv(envVars);
  const logger = createLogger(env.logLevel);
  // Composed from the modules in memory, so a stack always serves the SDL under test
  // (test/generated.test.ts checks the committed supergraph matches it).
  const supergraphSdl = composeSupergraph(modules.map((m) => ({ name: m.name, sdl: print(m.typeDefs) })));

  let junction: Junction;
  try {
    junction = await startJunction({ env, logger, modules, restApis, supergraphSdl, seed: false, ...(options.commandMonitor ? { commandMonitor: options.commandMonitor } : {}) });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { db, client } = junction.database;
  const main = await ensureAccount(db, 'test-main', 'enterprise');
  const other = await ensureAccount(db, 'test-other', 'enterprise');
  const key = async (accountId: string, type: 'live' | 'test' | 'readonly', plan: 'free' | 'enterprise') => (await createApiKey(db, { accountId, type, plan })).secret;
  const keys = {
    live: await key(main._id, 'live', 'enterprise'),
    test: await key(main._id, 'test', 'enterprise'),
    readonly: await key(main._id, 'readonly', 'enterprise'),
    free: await key(main._id, 'live', 'free'),
    otherAccountLive: await key(other._id, 'live', 'enterprise'),
  };
  const url = junction.gateway!.url;
  const subgraphUrls = Object.fromEntries(junction.subgraphs.map((s) => [s.name, s.url]));
  const extraGateways: Junction[] = [];

  return {
    url,
    keys,
    accounts: { main: main._id, other: other._id },
    db,
    client,
    subgraphUrls,
    principalSecret: junction.principalSecret,
    dataDir,
    mongoUri: junction.database.uri,
    mongoDbName: env.mongodbDb,
    request: (method, p, o = {}) => send(url + p, method, o, keys.live),
    graphql: (query, variables, o = {}) => send(`${url}/graphql`, 'POST', { ...o, body: { query, variables } }, keys.live),
    async startGateway() {
      const second = await startJunction({
        env: { ...env, subgraphUrls },
        logger,
        modules,
        restApis,
        supergraphSdl,
        only: 'gateway',
        database: junction.database,
      });
      extraGateways.push(second);
      return { url: second.gateway!.url, stop: () => second.stop() };
    },
    async stop() {
      for (const g of extraGateways) await g.stop();
      await junction.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
