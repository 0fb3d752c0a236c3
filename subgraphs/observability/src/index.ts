// The observability subgraph: domain events, webhook endpoints and deliveries (the dispatcher in
// ./dispatcher delivers them), and the Subscription root the gateway serves over graphql-ws.
// See schema/observability.graphql.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '../../../platform/src/SubgraphModule.js';
import { accessRules } from './accessRules.js';
import { createContext, type Context } from './context.js';
import { resolvers } from './resolvers/index.js';
import { ensureIndexes } from './store.js';

const sdl = readFileSync(fileURLToPath(new URL('../../../schema/observability.graphql', import.meta.url)), 'utf8');

export const observabilitySubgraph: SubgraphModule<Context> = {
  name: 'observability',
  typeDefs: parse(sdl),
  resolvers: resolvers as never,
  access: accessRules,
  createContext,
  ensureIndexes,
};

export default observabilitySubgraph;
