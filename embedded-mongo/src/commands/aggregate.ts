// aggregate: a leading $match (and $sort) runs through the query planner, the rest through
// mingo; $out / $merge write into this server; $changeStream is handed to changeStreams/.
import { Binary, type Document } from 'bson';
import { ProcessingMode } from 'mingo/core';
import { forMingo } from '../bson/numeric.js';
import { deepCopy, isPlainObject, valueKey } from '../bson/values.js';
import { handleChangeStreamAggregate } from '../changeStreams/index.js';
import { IterSource } from '../cursors/CursorSource.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { select } from '../query/exec.js';
import { assertNotView, readDocs, setViewPipelineRunner } from './views.js';
import { Aggregator, queryOptions } from '../query/mingoContext.js';
import { applyUpdate, idFirst } from '../query/update.js';
import type { CommandContext, CommandSpec } from './context.js';
import { optBool, optDoc, optNum } from './util.js';
import { firstBatch } from './util.js';
import { letVars } from './util.js';
import { checkStorable, prepareInsert } from './write.js';

// Stages that never modify their input documents: no defensive copy of stored documents needed.
const NON_MUTATING = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount', '$project', '$documents']);

function resolverFor(ctx: CommandContext) {
  return (name: string): Document[] => [...readDocs(ctx, ctx.db + '.' + name, {})];
}

setViewPipelineRunner((ctx, ns, pipeline, depth) => runPipeline(ctx, ns, pipeline, undefined, undefined, depth));

export function runPipeline(ctx: CommandContext, ns: string | null, pipeline: Document[], variables?: Document, collation?: Document, depth = 0): Document[] {
  let stages = pipeline;
  let input: Document[];
  if (ns === null) {
    const first = stages[0];
    if (first && '$listLocalSessions' in first) {
      input = [...ctx.state.sessions.sessions.values()].map((s) => ({ _id: { id: s.lsid.id, uid: new Binary(Buffer.alloc(32)) }, lastUse: new Date(s.lastUse) }));
      stages = stages.slice(1);
    } else if (first && '$currentOp' in first) {
      input = [];
      stages = stages.slice(1);
    } else if (first && '$documents' in first) {
      const docs = first.$documents;
      if (!Array.isArray(docs)) throw new MongoServerError(ErrorCodes.FailedToParse, '$documents must be an array of objects');
      input = docs as Document[];
      stages = stages.slice(1);
    } else {
      throw new MongoServerError(ErrorCodes.InvalidNamespace, "{aggregate: 1} is not valid for '$match'; a collection is required.");
    }
  } else {
    let filter: Document = {};
    let sort: Document | undefined;
    if (stages[0] && isPlainObject(stages[0].$match)) {
      filter = stages[0].$match as Document;
      stages = stages.slice(1);
      if (stages[0] && isPlainObject(stages[0].$sort)) {
        sort = stages[0].$sort as Document;
        stages = stages.slice(1);
      }
    }
    input = [...readDocs(ctx, ns, filter, { sort, variables, collation }, depth)];
  }
  if (stages.length === 0) return input;
  const mutating = stages.some((s) => !NON_MUTATING.has(Object.keys(s)[0] ?? ''));
  try {
    const agg = new Aggregator(forMingo(stages), {
      ...queryOptions(variables, resolverFor(ctx)),
      processingMode: mutating ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
    });
    return agg.run(input.map(forMingo)) as Document[];
  } catch (e) {
    if (e instanceof MongoServerError) throw e;
    const msg = (e as Error).message.replace(/^mingo: /, '');
    if (/unknown|not supported|invalid pipeline operator/i.test(msg)) throw new MongoServerError(40324, msg);
    throw new MongoServerError(ErrorCodes.BadValue, msg);
  }
}

async function writeOut(ctx: CommandContext, results: Document[], spec: unknown): Promise<void> {
  const target = typeof spec === 'string' ? { db: ctx.db, coll: spec } : (spec as Document);
  const ns = `${target.db ?? ctx.db}.${target.coll}`;
  const w = ctx.writer;
  assertNotView(ctx, ns);
  const seen = new Set<string>();
  const docs = results.map((d) => {
    const doc = prepareInsert(deepCopy(d));
    const k = valueKey(doc._id);
    if (seen.has(k)) throw new MongoServerError(ErrorCodes.DuplicateKey, `E11000 duplicate key error collection: ${ns} index: _id_ dup key: { _id: ${String(doc._id)} }`, { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } });
    seen.add(k);
    return doc;
  });
  await ctx.statement(() => {
    const existing = w.coll(ns) ? [...select(w.coll(ns), {}, { overlay: w.overlay(ns) }).docs] : [];
    w.precheck(ns, existing);
    for (const d of existing) w.delete(ns, d);
    w.coll(ns, true);
    for (const d of docs) w.insert(ns, d);
  });
}

async function writeMerge(ctx: CommandContext, results: Document[], spec: unknown, variables?: Document): Promise<void> {
  const s: Document = typeof spec === 'string' ? { into: spec } : (spec as Document);
  const into = typeof s.into === 'string' ? { db: ctx.db, coll: s.into } : (s.into as Document);
  const ns = `${into.db ?? ctx.db}.${into.coll}`;
  const on: string[] = s.on === undefined ? ['_id'] : Array.isArray(s.on) ? (s.on as string[]) : [s.on as string];
  const whenMatched = s.whenMatched ?? 'merge';
  const whenNotMatched = s.whenNotMatched ?? 'insert';
  const w = ctx.writer;
  assertNotView(ctx, ns);
  w.coll(ns, true);
  for (const r of results) {
    await ctx.statement(() => {
      const filter: Document = {};
      for (const f of on) filter[f] = r[f] ?? null;
      const existing = [...select(w.coll(ns), filter, { overlay: w.overlay(ns), limit: 1 }).docs][0];
      if (!existing) {
        if (whenNotMatched === 'discard') return;
        if (whenNotMatched === 'fail') throw new MongoServerError(13113, '$merge could not find a matching document in the target collection for at least one document in the source collection');
        w.insert(ns, prepareInsert(deepCopy(r)));
        return;
      }
      let after: Document;
      if (whenMatched === 'keepExisting') return;
      if (whenMatched === 'fail') {
        const keyPattern: Document = {};
        for (const f of on) keyPattern[f] = 1;
        throw new MongoServerError(ErrorCodes.DuplicateKey, `E11000 duplicate key error collection: ${ns} index: ${on.length === 1 && on[0] === '_id' ? '_id_' : on.map((f) => f + '_1').join('_')} dup key: { ${on.map((f) => `${f}: ${JSON.stringify(filter[f])}`).join(', ')} }`, { keyPattern, keyValue: filter });
      }
      if (whenMatched === 'replace') after = idFirst({ ...deepCopy(r), _id: existing._id });
      else if (whenMatched === 'merge') after = idFirst({ ...existing, ...deepCopy(r), _id: existing._id });
      else if (Array.isArray(whenMatched)) after = applyUpdate(existing, whenMatched as Document[], { variables: { ...variables, ...(s.let as Document | undefined), new: r } });
      else throw new MongoServerError(ErrorCodes.BadValue, `Invalid whenMatched mode for $merge`);
      checkStorable(after);
      w.update(ns, existing, after, 'replace');
    });
  }
}

async function aggregate(ctx: CommandContext): Promise<Document> {
  const cmd = ctx.cmd;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new MongoServerError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
  for (const st of pipeline) {
    if (!isPlainObject(st) || Object.keys(st).length !== 1) throw new MongoServerError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  if (pipeline[0] && '$changeStream' in pipeline[0]) return handleChangeStreamAggregate(ctx, cmd);
  const ns = typeof cmd.aggregate === 'string' ? `${ctx.db}.${cmd.aggregate}` : null;
  if (ns === null && cmd.aggregate !== 1) throw new MongoServerError(ErrorCodes.FailedToParse, "Invalid {aggregate: ...} value: must be a collection name or 1");
  const cursorOpt = optDoc(cmd, 'cursor');
  const explain = optBool(cmd, 'explain') ?? false;
  if (!cursorOpt && !explain) throw new MongoServerError(ErrorCodes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
  const variables = letVars(cmd);
  const last = pipeline[pipeline.length - 1] as Document | undefined;
  const outStage = last && ('$out' in last || '$merge' in last) ? last : undefined;
  for (let i = 0; i < pipeline.length - 1; i++) {
    const k = Object.keys(pipeline[i] as Document)[0];
    if (k === '$out' || k === '$merge') throw new MongoServerError(40601, `${k} can only be the final stage in the pipeline`);
  }
  if (outStage && (cmd.readConcern as Document | undefined)?.level === 'linearizable') {
    throw new MongoServerError(ErrorCodes.InvalidOptions, `cannot use ${Object.keys(outStage)[0]} with readConcern level 'linearizable'`);
  }
  const stages = (outStage ? pipeline.slice(0, -1) : pipeline) as Document[];
  const results = runPipeline(ctx, ns, stages, variables, optDoc(cmd, 'collation'));
  if (explain) return { explainVersion: '1', stages: stages.map((s) => ({ [Object.keys(s)[0]!]: {} })), ok: 1 };
  if (outStage) {
    if ('$out' in outStage) await writeOut(ctx, results, outStage.$out);
    else await writeMerge(ctx, results, outStage.$merge, variables);
    return firstBatch(ctx, ns ?? `${ctx.db}.$cmd.aggregate`, new IterSource([]), 0 + 1);
  }
  const batchSize = optNum(cursorOpt ?? {}, 'batchSize');
  return firstBatch(ctx, ns ?? `${ctx.db}.$cmd.aggregate`, new IterSource(results), batchSize ?? 101);
}

export const aggregateCommands: Record<string, CommandSpec> = {
  aggregate: { handler: aggregate, inTxn: true },
};
