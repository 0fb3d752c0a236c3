// `aggregate` with a leading $changeStream: validates the stage, works out the stream's scope and
// start position, and opens a tailable cursor whose getMores wait for new events.
import { Long, Timestamp, type Document } from 'bson';
import type { Engine } from '../storage/Engine.js';
import type { CursorRegistry } from '../cursors/CursorRegistry.js';
import { MongoServerError } from '../errors.js';
import { ChangeStreamReader } from './ChangeStreamReader.js';
import { ChangeStreamSource } from './ChangeStreamSource.js';
import { compileEventPipeline } from './eventPipeline.js';
import { invalidResumeToken } from './changeStreamErrors.js';
import { decodeResumeToken, type ResumePosition } from './resumeToken.js';
import type { BeforeChangeMode, EventSource, FullDocumentMode, StreamScope } from './changeEvents.js';

/** What opening a stream needs from the server. */
export interface ChangeStreamDeps {
  engine: Engine;
  cursors: CursorRegistry;
  /** Session id string the cursor belongs to, if any (so endSessions kills it). */
  lsid?: string;
  inTransaction?: boolean;
}

const STAGE_OPTIONS = new Set(['fullDocument', 'fullDocumentBeforeChange', 'resumeAfter', 'startAfter', 'startAtOperationTime', 'allChangesForCluster', 'showExpandedEvents', 'allowToRunOnConfigDB', 'allowToRunOnSystemNS']);
const FULL_DOCUMENT = new Set(['default', 'updateLookup', 'whenAvailable', 'required']);
const BEFORE_CHANGE = new Set(['off', 'whenAvailable', 'required']);

export function openChangeStream(deps: ChangeStreamDeps, cmd: Document): Document {
  const db = cmd.$db as string;
  const pipeline = (cmd.pipeline ?? []) as Document[];
  const stage = pipeline[0]?.$changeStream as Document | undefined;
  if (!stage || typeof stage !== 'object' || Array.isArray(stage)) throw new MongoServerError(14, 'the $changeStream stage specification must be an object');
  for (const k of Object.keys(stage)) {
    if (!STAGE_OPTIONS.has(k)) throw new MongoServerError(40415, `BSON field '$changeStream.${k}' is an unknown field.`);
  }
  if (deps.inTransaction) throw new MongoServerError(263, '$changeStream cannot run in a multi-document transaction');
  for (const s of pipeline.slice(1)) if (s && '$changeStream' in s) throw new MongoServerError(40602, '$changeStream is only valid as the first stage in a pipeline.');

  const scope = scopeOf(cmd.aggregate, db, stage.allChangesForCluster === true);
  const fullDocument = (stage.fullDocument ?? 'default') as FullDocumentMode;
  if (!FULL_DOCUMENT.has(fullDocument)) throw new MongoServerError(2, `unknown full document mode: '${String(fullDocument)}'`);
  const fullDocumentBeforeChange = (stage.fullDocumentBeforeChange ?? 'off') as BeforeChangeMode;
  if (!BEFORE_CHANGE.has(fullDocumentBeforeChange)) throw new MongoServerError(2, `unknown fullDocumentBeforeChange mode: '${String(fullDocumentBeforeChange)}'`);
  const start = startOf(stage, deps.engine);
  const eventPipeline = compileEventPipeline(pipeline.slice(1));

  const source: EventSource = {
    lookupDocument: (d, c, id) => deps.engine.findDocument(`${d}.${c}`, id),
    preAndPostImagesEnabled: (d, c) => {
      const o = deps.engine.coll(`${d}.${c}`)?.options.changeStreamPreAndPostImages as Document | undefined;
      return !!o && o.enabled === true;
    },
  };
  const reader = new ChangeStreamReader(
    deps.engine.oplog,
    scope,
    { fullDocument, fullDocumentBeforeChange, showExpandedEvents: stage.showExpandedEvents === true },
    eventPipeline,
    source,
    { ...start, now: deps.engine.oplog.latestTs() },
  );
  const cursorSource = new ChangeStreamSource(reader, reader.read(0).postBatchResumeToken);
  const batchSize = (cmd.cursor as Document | undefined)?.batchSize as number | undefined;
  const firstBatch = cursorSource.firstBatch(batchSize);
  const ns = scope.kind === 'collection' ? `${db}.${scope.coll}` : `${db}.$cmd.aggregate`;
  let id = Long.ZERO;
  if (!cursorSource.isExhausted()) {
    const extra: Document = { comment: cmd.comment };
    if (deps.lsid) extra.lsid = deps.lsid;
    id = deps.cursors.open(ns, cursorSource, extra).id;
  }
  return { cursor: { firstBatch, postBatchResumeToken: cursorSource.postBatchResumeToken(), id, ns }, ok: 1 };
}

function scopeOf(aggregate: unknown, db: string, allChangesForCluster: boolean): StreamScope {
  if (typeof aggregate === 'string') {
    if (allChangesForCluster) throw new MongoServerError(ErrorInvalidOptions, "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database, and with no collection name");
    return { kind: 'collection', db, coll: aggregate };
  }
  if (aggregate !== 1 && !(typeof aggregate === 'number' && aggregate === 1)) throw new MongoServerError(14, 'aggregate must be a collection name or 1');
  if (allChangesForCluster) {
    if (db !== 'admin') throw new MongoServerError(ErrorInvalidOptions, "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database, and with no collection name");
    return { kind: 'cluster' };
  }
  if (db === 'admin' || db === 'config' || db === 'local') throw new MongoServerError(ErrorInvalidNamespace, `$changeStream may not be opened on the internal ${db} database`);
  return { kind: 'database', db };
}

function startOf(stage: Document, engine: Engine): { after?: ResumePosition; atOperationTime?: Timestamp } {
  const given = ['resumeAfter', 'startAfter', 'startAtOperationTime'].filter((k) => stage[k] !== undefined);
  if (given.length > 1) throw new MongoServerError(40674, `Only one type of resume option is allowed, but multiple were found: ${given.join(', ')}`);
  if (stage.resumeAfter !== undefined) {
    const pos = decodeResumeToken(stage.resumeAfter);
    if (pos.invalidate) throw invalidResumeToken('Attempting to resume a change stream using an invalidate resume token is not allowed; use startAfter instead.');
    return { after: pos };
  }
  if (stage.startAfter !== undefined) return { after: decodeResumeToken(stage.startAfter) };
  if (stage.startAtOperationTime !== undefined) {
    if (!(stage.startAtOperationTime instanceof Timestamp)) throw new MongoServerError(14, 'startAtOperationTime must be a timestamp');
    return { atOperationTime: stage.startAtOperationTime };
  }
  void engine;
  return {};
}

const ErrorInvalidOptions = 72;
const ErrorInvalidNamespace = 73;
