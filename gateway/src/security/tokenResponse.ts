// The documented token response (CloudPioneer /auth/login and OAuth /oauth/token alike) from the
// auth subgraph's TokenGrant: {access_token, refresh_token, token_type: "bearer", expires_in[, scope]}.
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string | null;
}

export interface TokenOutcome {
  tokens: TokenGrant | null;
  failure: string | null;
}

export function tokenResponse(grant: TokenGrant): Record<string, unknown> {
  return { access_token: grant.accessToken, refresh_token: grant.refreshToken, token_type: 'bearer', expires_in: grant.expiresIn, ...(grant.scope !== null ? { scope: grant.scope } : {}) };
}
