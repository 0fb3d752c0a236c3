// Makes revocation immediate on every gateway: the auth subgraph appends an internal record to
// the events outbox with every revocation (platform/src/events/credentialRevocations.ts); this
// listens for it and drops the gateway's cached lookups, so a revoked key or a logged-out sign-in
// is refused by the next request, not after the cache period. The gateway reads none of auth's
// collections. If the stream fails the consumer reopens where it stopped (and the cache is dropped
// anyway); meanwhile the short cache period still bounds the delay.
import type { Db } from 'mongodb';
import type { Logger } from '../../../platform/src/logger.js';
import { EventConsumer } from '../../../platform/src/events/EventConsumer.js';
import { CREDENTIALS_REVOKED } from '../../../platform/src/events/credentialRevocations.js';
import { newId } from '../../../platform/src/ids.js';

export async function watchCredentialChanges(db: Db, onChange: () => void, logger: Logger): Promise<() => Promise<void>> {
  const consumer = new EventConsumer({
    db,
    name: `credential-revocations-${newId('gw', 8)}`,
    persist: false,
    match: { 'fullDocument.type': CREDENTIALS_REVOKED },
    handle: () => onChange(),
    logger,
  });
  await consumer.start(); // revocations committed after start-up are seen
  return () => consumer.stop();
}
