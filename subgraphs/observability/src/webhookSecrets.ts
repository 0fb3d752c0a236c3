// Webhook signing secrets at rest: sealed (AES-256-GCM, SecretBox purpose `webhook-secrets`, key
// derived from PRINCIPAL_SECRET), as JWT keys and TOTP secrets are, so a database reader cannot
// forge deliveries. The dispatcher opens a secret to sign. A plain string is a secret stored
// before sealing: it still signs, and is sealed at its next use or write.
import { SecretBox, type SealedSecret } from '../../../platform/src/crypto/SecretBox.js';

export type StoredSecret = string | SealedSecret;

export function webhookSecretBox(principalSecret: string | undefined): SecretBox {
  if (!principalSecret) throw new Error('PRINCIPAL_SECRET is not resolved: webhook secrets cannot be sealed');
  return new SecretBox(principalSecret, 'webhook-secrets');
}

/** The stored fields for a secret: sealed, with its last four characters as the public hint. */
export function sealSecret(box: SecretBox, secret: string): { secret: SealedSecret; secretHint: string } {
  return { secret: box.seal(secret), secretHint: secret.slice(-4) };
}

/** The plain secret; undefined when it was sealed under another PRINCIPAL_SECRET. */
export function openSecret(box: SecretBox, stored: StoredSecret): string | undefined {
  return typeof stored === 'string' ? stored : box.open(stored);
}
