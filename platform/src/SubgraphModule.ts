// What every subgraph exports from subgraphs/<domain>/src/index.ts, so that the launcher (main.ts),
// the test stack and composition treat all domains alike.
import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Db, MongoClient } from 'mongodb';
import type { Principal } from './principal.js';
import type { AccessRules } from './access.js';
import type { Env } from './env.js';

export interface SubgraphContextBase {
  principal: Principal;
  db: Db;
  client: MongoClient;
  /** The configuration, parsed once at start-up (never read from globals). */
  config: Env;
}

export interface SubgraphModule<Context extends SubgraphContextBase = SubgraphContextBase> {
  /** Subgraph name in the supergraph, e.g. `commerce`. */
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<Context>;
  /** Builds the per-request context (DataLoaders go here: one set per request). */
  createContext: (base: SubgraphContextBase) => Context | Promise<Context>;
  /** Creates collections and indexes; idempotent, run at every start. */
  ensureIndexes: (db: Db) => Promise<void>;
  /** Who may read what: a rule per object type (`Order`) and per root field (`Query.orders`), with
   * optional per-field overrides (`Order.total`); see access.ts. Start-up and `npm run compose`
   * refuse a module whose rules miss a type or root field of `typeDefs`. */
  access: AccessRules;
  /** Inserts demo data for an account once (the launcher calls it on first start only). */
  seedDemoData?: (db: Db, accountId: string, config: Env) => Promise<void>;
  /** Only the module that owns accounts (auth) has this: the launcher's bootstrap goes through it,
   * so no other part writes that module's collections. */
  accounts?: AccountBootstrap;
}

export interface AccountBootstrap {
  /** Every start, idempotent: the named account, the configured admin key and admin identity.
   * Throws with the reason when the configuration is refused (e.g. a weak admin password). */
  ensureAccount: (db: Db, options: { accountName: string; adminApiKey?: string | undefined; adminIdentity?: { email: string; password: string } | undefined; config: Env }) => Promise<{ accountId: string }>;
  /** First start only: a new API key for the demo; returns its secret (shown once). */
  createDemoKey: (db: Db, accountId: string) => Promise<string>;
}
