// The commerce subgraph (TechCorp API v2.0.3): users, products and orders. See schema/commerce.graphql.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '../../../platform/src/SubgraphModule.js';
import { accessRules } from './accessRules.js';
import { createContext, type Context } from './context.js';
import { resolvers } from './resolvers/index.js';
import { seedDemoData } from './seedDemoData.js';
import { ensureStockIndexes } from './stock/stockCollections.js';
import { ensureIndexes } from './store.js';

const sdl = readFileSync(fileURLToPath(new URL('../../../schema/commerce.graphql', import.meta.url)), 'utf8');

export const commerceSubgraph: SubgraphModule<Context> = {
  name: 'commerce',
  typeDefs: parse(sdl),
  resolvers: resolvers as never,
  access: accessRules,
  createContext,
  ensureIndexes: async (db) => {
    await ensureIndexes(db);
    await ensureStockIndexes(db);
  },
  seedDemoData,
};

export default commerceSubgraph;
