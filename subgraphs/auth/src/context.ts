import type { SubgraphContextBase } from '../../../platform/src/SubgraphModule.js';

export type Context = SubgraphContextBase;
