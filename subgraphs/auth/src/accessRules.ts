// Who may read and change auth data (platform/src/access.ts). Any authenticated caller sees its own
// account and keys; managing keys, people and OAuth clients needs admin; a person acting on their own
// identity (TOTP, one-time codes) needs auth:write; resolving a key hash and
// asking whether a sign-in was revoked are the gateway's alone.
import type { AccessRules } from '../../../platform/src/access.js';

const admin = { scope: 'admin' } as const;
const authWrite = { scope: 'auth:write' } as const;

export const accessRules: AccessRules = {
  Account: 'authenticated',
  ApiKey: 'authenticated',
  CreatedApiKey: admin,
  ResolvedApiKey: 'service',
  AuthorizingClient: 'service',
  SignedInPerson: 'service',
  TokenGrant: 'service',
  TokenOutcome: 'service',
  // Admins, or the signed-in person asking about themself (checked in the resolver).
  Identity: 'authenticated',
  TotpEnrollment: authWrite,
  OAuthClient: admin,
  CreatedOAuthClient: admin,
  VerificationResult: authWrite,
  OtpSent: authWrite,
  'Query.viewer': 'authenticated',
  'Query.apiKeys': 'authenticated',
  'Query.apiKey': 'authenticated',
  'Query.identities': admin,
  'Query.identity': 'authenticated',
  'Query.oauthClients': admin,
  'Query.oauthClient': admin,
  'Query.resolveApiKey': 'service',
  'Query.signInRevoked': 'service',
  'Query.oauthAuthorizingClient': 'service',
  'Query.oauthSessionPerson': 'service',
  'Query.jwks': 'service',
  'Query.oauthClientAuthenticated': 'service',
  'Mutation.createApiKey': admin,
  'Mutation.revokeApiKey': admin,
  'Mutation.rotateApiKey': admin,
  'Mutation.createIdentity': admin,
  'Mutation.deleteIdentity': admin,
  'Mutation.enrollTotp': authWrite,
  'Mutation.createOAuthClient': admin,
  'Mutation.revokeOAuthClient': admin,
  'Mutation.verifyUser': authWrite,
  'Mutation.sendOtp': authWrite,
  'Mutation.signOut': 'service',
  'Mutation.oauthSignIn': 'service',
  'Mutation.createAuthorizationCode': 'service',
  'Mutation.signIn': 'service',
  'Mutation.refreshSession': 'service',
  'Mutation.exchangeAuthorizationCode': 'service',
};
