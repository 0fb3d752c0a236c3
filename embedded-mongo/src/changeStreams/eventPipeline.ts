// The stages after $changeStream, applied to each event with mingo. MongoDB allows only stages
// that work on one document at a time; anything else is refused when the stream is opened.
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { MongoServerError } from '../errors.js';
import { queryOptions } from '../query/mingoContext.js';

const ALLOWED = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$redact']);
const KNOWN = new Set([
  ...ALLOWED, '$group', '$sort', '$limit', '$skip', '$lookup', '$unwind', '$out', '$merge', '$facet', '$count',
  '$bucket', '$bucketAuto', '$sortByCount', '$graphLookup', '$unionWith', '$sample', '$geoNear', '$densify', '$fill',
  '$setWindowFields', '$documents', '$changeStream', '$indexStats', '$collStats', '$listSessions', '$currentOp',
]);

export interface EventPipeline {
  /** The event as transformed by the pipeline, or null when a $match dropped it. */
  apply(event: Document): Document | null;
}

export function compileEventPipeline(stages: Document[]): EventPipeline {
  for (const stage of stages) {
    const name = Object.keys(stage)[0] ?? '';
    if (!KNOWN.has(name)) throw new MongoServerError(40324, `Unrecognized pipeline stage name: '${name}'`);
    if (!ALLOWED.has(name)) throw new MongoServerError(ErrorStageNotAllowed, `${name} is not permitted in a $changeStream pipeline`);
  }
  if (stages.length === 0) return { apply: (e) => e };
  let agg: Aggregator;
  try {
    agg = new Aggregator(stages, queryOptions());
  } catch (e) {
    throw new MongoServerError(2, (e as Error).message.replace(/^mingo: /, ''));
  }
  return {
    apply(event) {
      const out = agg.run([event]) as Document[];
      return out[0] ?? null;
    },
  };
}

/** MongoDB's code for a stage that is not allowed in a change stream. */
const ErrorStageNotAllowed = 31130;
