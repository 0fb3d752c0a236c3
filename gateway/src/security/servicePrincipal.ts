// The gateway's own principal, for the calls it makes on nobody's behalf: resolving an API key
// through the auth subgraph, and the public REST routes (`RestRoute.public`) that are how one gets
// a credential. Subgraphs see `keyType: 'service'` and grant only what they grant the gateway.
import type { Principal } from '../../../platform/src/principal.js';

export const SERVICE_ACCOUNT = '__gateway';

export function servicePrincipal(requestId: string): Principal {
  return { accountId: SERVICE_ACCOUNT, mode: 'live', keyType: 'service', plan: 'enterprise', scopes: [], requestId };
}
