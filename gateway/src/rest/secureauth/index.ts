// SecureAuth API (seed 001) at /secureauth/v1 and at api.secureauth.techcorp.example.com/v1:
// POST /auth/verify (TOTP, or a code sent by /otp/send) and POST /otp/send (SMS or email). Errors in
// seed 001's shape: `{"error": {"code", "message", "details"}, "request_id"}` with upper-case codes.
import type { RestApi, RestError } from '../RestRoute.js';

const SEED_001_CODES: Record<number, string> = { 400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'INVALID_REQUEST', 429: 'RATE_LIMITED' };

export function formatSeed001Error(error: RestError, requestId: string): unknown {
  const code = SEED_001_CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST');
  const details = error.details ?? (error.param ? { field: error.param, reason: error.message } : {});
  return { error: { code, message: error.message, details }, request_id: requestId };
}

const toEnum = (value: unknown) => String(value).toUpperCase();

export const secureAuthV1: RestApi = {
  name: 'secureauth-v1',
  prefixes: ['/secureauth/v1'],
  hosts: ['api.secureauth.techcorp.example.com'],
  hostBasePath: '/v1',
  rateLimitScheme: 'techcorp-reference',
  formatError: formatSeed001Error,
  routes: [
    {
      method: 'POST',
      path: '/auth/verify',
      document: 'mutation SecureAuthVerify($userId: ID!, $method: VerifyMethod!, $code: String!) { verifyUser(userId: $userId, method: $method, code: $code) { verified userId timestamp } }',
      operationName: 'SecureAuthVerify',
      body: {
        user_id: { type: 'string', required: true, min: 1, max: 100 },
        method: { type: 'string', required: true, enum: ['totp', 'sms', 'email'] },
        code: { type: 'string', required: true, min: 1, max: 16 },
      },
      variables: (req) => ({ userId: req.body!.user_id, method: toEnum(req.body!.method), code: req.body!.code }),
      respond: (data) => {
        const r = data.verifyUser as { verified: boolean; userId: string; timestamp: string };
        return { status: 200, body: { verified: r.verified, user_id: r.userId, timestamp: r.timestamp } };
      },
    },
    {
      method: 'POST',
      path: '/otp/send',
      document: 'mutation SecureAuthSendOtp($userId: ID!, $method: OtpMethod!, $phone: String, $email: String) { sendOtp(userId: $userId, method: $method, phone: $phone, email: $email) { userId method expiresAt } }',
      operationName: 'SecureAuthSendOtp',
      body: {
        user_id: { type: 'string', required: true, min: 1, max: 100 },
        method: { type: 'string', required: true, enum: ['sms', 'email'] },
        phone: { type: 'string', max: 20 },
        email: { type: 'string', max: 320 },
      },
      variables: (req) => ({ userId: req.body!.user_id, method: toEnum(req.body!.method), phone: req.body!.phone ?? null, email: req.body!.email ?? null }),
      respond: (data) => {
        const r = data.sendOtp as { userId: string; method: string; expiresAt: string };
        return { status: 200, body: { sent: true, user_id: r.userId, method: r.method.toLowerCase(), expires_at: r.expiresAt } };
      },
    },
  ],
};
