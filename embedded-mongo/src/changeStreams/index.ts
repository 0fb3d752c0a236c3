// PLACEHOLDER owned by helper M2 (change streams): M2 replaces this file's contents.
// Contract: `aggregate` delegates here when pipeline[0] is { $changeStream: ... }. Build a
// CursorSource (../cursors/CursorSource.ts) over the oplog (../oplog.ts: ctx.state.engine.oplog
// readAfter/subscribe/latestTs; ctx.state.engine.findDocument for updateLookup), register it with
// ctx.state.cursors.open(ns, source, { lsid: ctx.session?.key }) and return the first batch
// reply ({ cursor: { firstBatch, id, ns, postBatchResumeToken }, ok: 1 }).
import type { Document } from 'bson';
import type { CommandContext } from '../commands/context.js';
import { MongoServerError } from '../errors.js';

export async function handleChangeStreamAggregate(_ctx: CommandContext, _cmd: Document): Promise<Document> {
  throw new MongoServerError(115, '$changeStream is not supported yet by this embedded server', {}, []);
}
