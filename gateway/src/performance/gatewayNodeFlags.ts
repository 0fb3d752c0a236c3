/**
 * Node flags junction's gateway is meant to run with (e.g. `NODE_OPTIONS=--max-semi-space-size=32`).
 * A gateway allocates a lot of short-lived objects per request (parsed subgraph responses, merged
 * results, the serialised answer); V8's default young generation (16 MB semi-spaces) makes it
 * scavenge constantly — the profile shows 12–14% of busy time in the garbage collector. Larger
 * semi-spaces cut that at the price of some resident memory. Cluster workers inherit the flags.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
