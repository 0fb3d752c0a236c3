// find, getMore, killCursors, count, distinct (and explain of a find).
import type { Document } from 'bson';
import { Long } from 'bson';

const ZERO = Long.fromNumber(0);
import { compareValues, pathValues, valueKey } from '../bson/values.js';
import { IterSource } from '../cursors/CursorSource.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { collationFold } from '../query/collation.js';
import { project } from '../query/exec.js';
import { readDocs, viewOf } from './views.js';
import type { CommandContext, CommandSpec } from './context.js';
import { collName, cursorReply, nsOf, optBool, optDoc, optNum } from './util.js';
import { firstBatch } from './util.js';
import { letVars } from './util.js';


function findArgs(ctx: CommandContext) {
  const cmd = ctx.cmd;
  const filter = optDoc(cmd, 'filter') ?? {};
  const sort = optDoc(cmd, 'sort');
  const projection = optDoc(cmd, 'projection');
  const skip = optNum(cmd, 'skip') ?? 0;
  let limit = optNum(cmd, 'limit') ?? 0;
  let singleBatch = optBool(cmd, 'singleBatch') ?? false;
  const batchSize = optNum(cmd, 'batchSize');
  if (skip < 0) throw new MongoServerError(51024, `BSON field 'skip' value must be >= 0, actual value '${skip}'`);
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  if (batchSize !== undefined && batchSize < 0) throw new MongoServerError(51024, `BSON field 'batchSize' value must be >= 0, actual value '${batchSize}'`);
  return { filter, sort, projection, skip, limit, singleBatch, batchSize };
}

async function find(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  const a = findArgs(ctx);
  const docs = readDocs(ctx, ns, a.filter, {
    sort: a.sort,
    skip: a.skip,
    limit: a.limit,
    variables: letVars(ctx.cmd),
    collation: optDoc(ctx.cmd, 'collation'),
  });
  const source = new IterSource(docs, a.projection ? (b) => project(b, a.projection, a.filter) : undefined);
  return firstBatch(ctx, ns, source, a.batchSize === 0 ? 0 : (a.batchSize ?? 101), a.singleBatch);
}

async function getMore(ctx: CommandContext): Promise<Document> {
  const id = ctx.cmd.getMore;
  if (typeof id !== 'object' && typeof id !== 'number') {
    throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field 'getMore.getMore' is the wrong type, expected type 'long'`);
  }
  const ns = ctx.db + '.' + collName(ctx, 'collection');
  const c = ctx.state.cursors.get(id, ns);
  if (c.busy) throw new MongoServerError(ErrorCodes.ConflictingOperationInProgress ?? 117, `Cursor ${String(id)} is already in use`);
  c.busy = true;
  try {
    const batchSize = optNum(ctx.cmd, 'batchSize') ?? 0;
    const maxAwait = optNum(ctx.cmd, 'maxTimeMS');
    const batch = await c.source.nextBatch(batchSize, maxAwait);
    c.lastUsed = Date.now();
    const extra: Document = {};
    const pbrt = c.source.postBatchResumeToken?.();
    if (pbrt) extra.postBatchResumeToken = pbrt;
    if (c.source.isExhausted()) {
      ctx.state.cursors.remove(c);
      return cursorReply(ZERO, ns, batch, false, extra);
    }
    return cursorReply(c.id, ns, batch, false, extra);
  } finally {
    c.busy = false;
  }
}

function killCursors(ctx: CommandContext): Document {
  nsOf(ctx);
  const ids = ctx.cmd.cursors;
  if (!Array.isArray(ids)) throw new MongoServerError(ErrorCodes.TypeMismatch, "BSON field 'killCursors.cursors' is missing or not an array");
  const killed: unknown[] = [];
  const notFound: unknown[] = [];
  for (const id of ids) (ctx.state.cursors.kill(id) ? killed : notFound).push(id);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

function count(ctx: CommandContext): Document {
  const ns = nsOf(ctx);
  const query = optDoc(ctx.cmd, 'query') ?? {};
  const skip = optNum(ctx.cmd, 'skip') ?? 0;
  const limit = Math.abs(optNum(ctx.cmd, 'limit') ?? 0);
  const coll = ctx.writer.coll(ns);
  const overlay = ctx.writer.overlay(ns);
  let n: number;
  if (coll && Object.keys(query).length === 0 && !overlay?.size && !viewOf(ctx, ns)) n = coll.count;
  else {
    n = 0;
    for (const _ of readDocs(ctx, ns, query, { collation: optDoc(ctx.cmd, 'collation') })) n++;
  }
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
}

function distinct(ctx: CommandContext): Document {
  const ns = nsOf(ctx);
  const key = ctx.cmd.key;
  if (typeof key !== 'string') throw new MongoServerError(ErrorCodes.TypeMismatch, "BSON field 'distinct.key' is missing or not a string");
  const query = optDoc(ctx.cmd, 'query') ?? {};
  const seen = new Map<string, unknown>();
  const collation = optDoc(ctx.cmd, 'collation');
  const fold = collationFold(collation);
  const add = (v: unknown) => {
    if (v === undefined) return;
    const k = valueKey(fold ? fold(v) : v);
    if (!seen.has(k)) seen.set(k, v);
  };
  for (const d of readDocs(ctx, ns, query, { collation })) {
    // Arrays along the path and at its end are unwound, as MongoDB's distinct does.
    for (const v of pathValues(d, key)) {
      if (Array.isArray(v)) v.forEach(add);
      else add(v);
    }
  }
  const values = [...seen.values()].sort(compareValues);
  return { values, ok: 1 };
}

export const readCommands: Record<string, CommandSpec> = {
  find: { handler: find, inTxn: true },
  getMore: { handler: getMore, inTxn: true },
  killCursors: { handler: killCursors, inTxn: true },
  count: { handler: count },
  distinct: { handler: distinct, inTxn: true },
};
