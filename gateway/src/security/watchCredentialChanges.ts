// Makes revocation immediate on every gateway: a change stream on the credential collections
// (`api_keys`, `refresh_tokens`) drops the gateway's cached lookups whenever one changes, so a
// revoked key or a logged-out sign-in is refused by the next request, not after the cache period.
// If the stream fails it is reopened; meanwhile the short cache period still bounds the delay.
import type { ChangeStream, Db } from 'mongodb';
import type { Logger } from '../../../platform/src/logger.js';

export function watchCredentialChanges(db: Db, collections: string[], onChange: () => void, logger: Logger): () => Promise<void> {
  let stopped = false;
  let stream: ChangeStream | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = () => {
    if (stopped) return;
    // Only updates and deletes can take a credential away; inserts never need a cache drop.
    stream = db.watch([{ $match: { 'ns.coll': { $in: collections }, operationType: { $in: ['update', 'replace', 'delete'] } } }]);
    stream.on('change', () => onChange());
    stream.on('error', (error) => {
      if (stopped) return;
      logger.warn('credential change stream failed; reopening', { error: error.message });
      onChange();
      void stream?.close().catch(() => undefined);
      retry = setTimeout(open, 1000);
      retry.unref();
    });
  };
  open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await stream?.close().catch(() => undefined);
  };
}
