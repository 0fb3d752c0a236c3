// Read-only views: a view's documents are its pipeline run over the collection it is defined
// on (views on views resolve recursively); writes to a view are refused as MongoDB does.
import type { Document } from 'bson';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { select, type ReadOptions } from '../query/exec.js';
import type { CommandContext } from './context.js';

export interface ViewDef {
  viewOn: string;
  pipeline: Document[];
}

export function viewOf(ctx: CommandContext, ns: string): ViewDef | undefined {
  const c = ctx.state.engine.coll(ns);
  const on = c?.options.viewOn;
  if (typeof on !== 'string') return undefined;
  return { viewOn: `${c!.db}.${on}`, pipeline: (c!.options.pipeline as Document[] | undefined) ?? [] };
}

export function assertNotView(ctx: CommandContext, ns: string): void {
  if (viewOf(ctx, ns)) throw new MongoServerError(166, `Namespace ${ns} is a view, not a collection`);
}

/** The documents of a collection or view matching `filter`, through the command's writer. */
export function readDocs(ctx: CommandContext, ns: string, filter: Document, opts: ReadOptions = {}, depth = 0): Iterable<Document> {
  const v = viewOf(ctx, ns);
  if (!v) return select(ctx.writer.coll(ns), filter, { ...opts, overlay: ctx.writer.overlay(ns) }).docs;
  if (depth > 20) throw new MongoServerError(ErrorCodes.BadValue, 'View depth too deep or view cycle detected');
  const base = runViewPipeline(ctx, v, depth + 1);
  return select(undefined, filter, { ...opts, source: base }).docs;
}

let pipelineRunner: ((ctx: CommandContext, ns: string, pipeline: Document[], depth: number) => Document[]) | undefined;

/** Set by aggregate.ts (which owns pipeline execution) to avoid an import cycle. */
export function setViewPipelineRunner(fn: typeof pipelineRunner): void {
  pipelineRunner = fn;
}

function runViewPipeline(ctx: CommandContext, v: ViewDef, depth: number): Document[] {
  return pipelineRunner!(ctx, v.viewOn, v.pipeline, depth);
}
