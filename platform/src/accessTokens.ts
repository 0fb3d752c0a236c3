// What junction's access tokens are, shared by who signs them (the auth subgraph) and who checks
// them (the gateway): ES256 JWTs with iss/aud `junction`, one hour of life, the account, the person
// (`sub`), scopes and `sid` — the refresh-token family, so logout also stops that sign-in's tokens.
import type { Plan } from './principal.js';

export const JWT_ALG = 'ES256';
export const ACCESS_TOKEN_TTL_S = 3600;
export const JWT_ISSUER = 'junction';
export const JWT_AUDIENCE = 'junction';

export interface AccessClaims {
  sub: string;
  acct: string;
  plan: Plan;
  scope: string;
  sid: string;
  client_id?: string;
}
