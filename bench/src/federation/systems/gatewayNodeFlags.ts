/**
 * Node flags junction's gateway is meant to run with
 * (`NODE_OPTIONS="--max-semi-space-size=32 --max-old-space-size=256"`; cluster workers inherit them).
 * - `--max-semi-space-size=32`: a gateway allocates many short-lived objects per request (parsed
 *   subgraph responses, merged results, the serialised answer); with V8's default young generation
 *   it scavenges constantly (12–14% of busy time in the profile). Larger semi-spaces cut that.
 * - `--max-old-space-size=256`: V8 otherwise lets the old generation grow with garbage long before
 *   collecting it (peak RSS ~430 MB under the federation load, ~200 MB of it garbage). Capping it
 *   keeps RSS near 250 MB for ~10% more CPU per request. Raise it for a much larger supergraph:
 *   the live heap of the gateway must stay well below the cap.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--max-old-space-size=256'];
