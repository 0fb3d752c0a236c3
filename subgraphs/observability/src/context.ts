// The observability subgraph's per-request context: the platform base (principal, database).
import type { SubgraphContextBase } from '../../../platform/src/SubgraphModule.js';

export type Context = SubgraphContextBase;

export function createContext(base: SubgraphContextBase): Context {
  return base;
}
