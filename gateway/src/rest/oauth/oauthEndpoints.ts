// TechCorp OAuth 2.0 (seed 001) at /oauth/{authorize,token,refresh}, and at the documented host
// auth.techcorp.example.com as /authorize, /token, /refresh.
import type { PublicEndpoint } from '../../security/PublicEndpoint.js';
import { createAuthorizeHandler, type AuthorizeEndpointOptions } from './authorizeEndpoint.js';
import { createTokenHandler, type TokenEndpointOptions } from './tokenEndpoint.js';

export const OAUTH_HOST = 'auth.techcorp.example.com';

function actionOf(host: string | undefined, pathname: string): 'authorize' | 'token' | 'refresh' | undefined {
  const onHost = (host ?? '').split(':')[0]!.toLowerCase() === OAUTH_HOST;
  const match = (onHost ? /^(?:\/oauth)?\/(authorize|token|refresh)\/?$/ : /^\/oauth\/(authorize|token|refresh)\/?$/).exec(pathname);
  return match?.[1] as 'authorize' | 'token' | 'refresh' | undefined;
}

export function oauthEndpoints(options: AuthorizeEndpointOptions & TokenEndpointOptions): PublicEndpoint[] {
  const handlers = {
    authorize: createAuthorizeHandler(options),
    token: createTokenHandler(options, 'token'),
    refresh: createTokenHandler(options, 'refresh'),
  };
  return [
    {
      matches: (_method, host, pathname) => actionOf(host, pathname) !== undefined,
      handle: (req, res, requestId) => handlers[actionOf(req.headers.host, (req.url ?? '/').split('?')[0]!)!](req, res, requestId),
    },
  ];
}
