// Per-client-address budget for the unauthenticated sign-in endpoints (on top of the per-identity
// slow-down and lockout): guessing passwords or codes across many emails costs the guesser.
import type { IncomingMessage } from 'node:http';
import type { RateLimiter } from './RateLimiter.js';
import { clientAddress } from '../http/clientAddress.js';

export const SIGN_IN_LIMITS = { perMinute: 120, perDay: 5000 };

export async function addressAllowed(limiter: RateLimiter, req: IncomingMessage, endpoint: string): Promise<boolean> {
  const result = await limiter.hit(`signin:${endpoint}:${clientAddress(req)}`, SIGN_IN_LIMITS);
  return result.allowed;
}
