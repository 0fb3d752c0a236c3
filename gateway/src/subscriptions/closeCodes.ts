// graphql-ws close codes junction uses for each refusal (the 44xx range mirrors HTTP statuses).
export const CloseCodes = {
  /** connection_init without valid credentials, or credentials revoked while connected. */
  Unauthorized: 4401,
  /** Valid credentials that may not subscribe (e.g. an internal service principal). */
  Forbidden: 4403,
  /** Too many connections for the account (or too many initialisation requests). */
  TooManyRequests: 4429,
} as const;
