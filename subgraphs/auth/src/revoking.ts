// Runs a write that takes credentials away, and announces it (an internal outbox record every
// gateway listens to, see platform/src/events/credentialRevocations.ts) in the same transaction, so
// no revocation is committed without its announcement. `fn` answers how many documents it changed;
// nothing is announced when it changed none.
import type { ClientSession, Db } from 'mongodb';
import { appendCredentialRevocation } from '../../../platform/src/events/credentialRevocations.js';

export async function revoking(db: Db, kind: 'api_key' | 'refresh_family', fn: (session: ClientSession) => Promise<number>): Promise<number> {
  return db.client.withSession((session) =>
    session.withTransaction(async () => {
      const changed = await fn(session);
      if (changed > 0) await appendCredentialRevocation(db, session, kind);
      return changed;
    }),
  );
}
