import { createUndiciFetcher } from './createUndiciFetcher.js';

/**
 * The process-wide subgraph fetcher: one set of undici keep-alive pools shared by every data
 * source, so each subgraph origin keeps warm connections however many sources point at it.
 */
export const subgraphFetcher = createUndiciFetcher();
