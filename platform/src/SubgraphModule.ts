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
}
