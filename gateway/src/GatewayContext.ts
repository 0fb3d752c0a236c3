import type { Principal } from '../../platform/src/principal.js';

/** The per-request context of the gateway's GraphQL server (HTTP and the REST adapter alike). */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
}
