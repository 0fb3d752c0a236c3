// The one internal record of the outbox: "a credential was taken away" (an API key revoked or cut
// short, a sign-in family revoked). The auth subgraph appends it in the same transaction as the
// revocation; every gateway listens and drops its cached credential lookups, so revocation takes
// effect at once without the gateway reading auth's collections. It is not a catalogue event type
// and belongs to no account (INTERNAL_ACCOUNT is never an account id), so the account-scoped
// readers of the outbox (webhooks, subscriptions, the `events` query) never match it.
import type { ClientSession, Db } from 'mongodb';
import { appendEvent } from './outbox.js';

export const CREDENTIALS_REVOKED = 'junction.credentials_revoked';
export const INTERNAL_ACCOUNT = 'junction:internal';

export async function appendCredentialRevocation(db: Db, session: ClientSession | undefined, kind: 'api_key' | 'refresh_family'): Promise<void> {
  await appendEvent(db, session, { type: CREDENTIALS_REVOKED, accountId: INTERNAL_ACCOUNT, mode: 'live', data: { kind } });
}
