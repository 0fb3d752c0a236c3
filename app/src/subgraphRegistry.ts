// Every subgraph junction runs. Adding a domain is one line here (and its schema/<d>.graphql).
import type { SubgraphModule } from '../../platform/src/SubgraphModule.js';
import { authSubgraph } from '../../subgraphs/auth/src/index.js';
import { commerceSubgraph } from '../../subgraphs/commerce/src/index.js';
import { observabilitySubgraph } from '../../subgraphs/observability/src/index.js';

export const subgraphs: SubgraphModule<any>[] = [
  authSubgraph,
  commerceSubgraph,
  observabilitySubgraph,
];
