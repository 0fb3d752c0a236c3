// The auth subgraph: accounts and API keys. See schema/auth.graphql.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '../../../platform/src/SubgraphModule.js';
import type { Context } from './context.js';
import { accessRules } from './accessRules.js';
import { resolvers } from './resolvers/index.js';
import { ensureAuthIndexes } from './store.js';
import { accountBootstrap } from './accountBootstrap.js';

const sdl = readFileSync(fileURLToPath(new URL('../../../schema/auth.graphql', import.meta.url)), 'utf8');

export const authSubgraph: SubgraphModule<Context> = {
  name: 'auth',
  typeDefs: parse(sdl),
  resolvers: resolvers as never,
  access: accessRules,
  createContext: (base) => base,
  ensureIndexes: ensureAuthIndexes,
  accounts: accountBootstrap,
};

export default authSubgraph;
