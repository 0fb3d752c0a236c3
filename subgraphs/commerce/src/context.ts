// The commerce subgraph's per-request context: the platform base plus this request's loaders.
import type { SubgraphContextBase } from '../../../platform/src/SubgraphModule.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context extends SubgraphContextBase {
  loaders: Loaders;
}

export function createContext(base: SubgraphContextBase): Context {
  return { ...base, loaders: createLoaders(base.db, base.principal) };
}
