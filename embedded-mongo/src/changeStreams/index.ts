// Entry point for the aggregate command: a pipeline starting with $changeStream opens a change
// stream (on a collection, a database with `aggregate: 1`, or the deployment with
// `allChangesForCluster: true` on admin). See openChangeStream.ts.
import type { Document } from 'bson';
import type { CommandContext } from '../commands/context.js';
import { openChangeStream } from './openChangeStream.js';

export async function handleChangeStreamAggregate(ctx: CommandContext, cmd: Document): Promise<Document> {
  return openChangeStream(
    { engine: ctx.state.engine, cursors: ctx.state.cursors, lsid: ctx.session?.key, inTransaction: ctx.txn !== undefined },
    { ...cmd, $db: ctx.db },
  );
}
