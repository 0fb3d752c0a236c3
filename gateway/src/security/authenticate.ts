// Turns the Authorization header into a principal. API keys now; the identity issue adds JWTs as
// another credential resolver in this list.
import { JunctionError } from '../../../platform/src/errors.js';
import type { Authenticated } from './ApiKeyResolver.js';

export interface CredentialResolver {
  authenticate(token: string, requestId: string): Promise<Authenticated | undefined>;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export async function authenticate(header: string | undefined, requestId: string, resolvers: CredentialResolver[]): Promise<Authenticated> {
  const token = bearerToken(header);
  if (!token) throw new JunctionError('UNAUTHORIZED', 'Missing API key: send Authorization: Bearer <key>');
  for (const resolver of resolvers) {
    const result = await resolver.authenticate(token, requestId);
    if (result) return result;
  }
  throw new JunctionError('UNAUTHORIZED', 'Invalid API key');
}
