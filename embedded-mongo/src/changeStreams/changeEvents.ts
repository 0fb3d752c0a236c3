// From oplog entries to change events as MongoDB shapes them, for a stream's scope (one
// collection, one database or the whole deployment). A collection or database stream ends with
// an `invalidate` event when what it watches is dropped or renamed away.
import type { Document } from 'bson';
import type { OplogEntry } from '../oplog.js';
import { changeStreamFatal } from './changeStreamErrors.js';
import { encodeResumeToken } from './resumeToken.js';
import { postImage } from './postImage.js';

export type StreamScope =
  | { kind: 'collection'; db: string; coll: string }
  | { kind: 'database'; db: string }
  | { kind: 'cluster' };

export type FullDocumentMode = 'default' | 'updateLookup' | 'whenAvailable' | 'required';
export type BeforeChangeMode = 'off' | 'whenAvailable' | 'required';

export interface EventOptions {
  fullDocument: FullDocumentMode;
  fullDocumentBeforeChange: BeforeChangeMode;
  showExpandedEvents: boolean;
}

/** What building events needs from the server: current documents and collection options. */
export interface EventSource {
  lookupDocument(db: string, coll: string, id: unknown): Document | null;
  preAndPostImagesEnabled(db: string, coll: string): boolean;
}

/** One produced event with its position (for ordering against a resume token). */
export interface PositionedEvent {
  invalidate: boolean;
  doc: Document;
}

const INTERNAL_DBS = new Set(['admin', 'config', 'local']);
const DDL_EXPANDED = new Set(['create', 'createIndexes', 'dropIndexes', 'modify']);

function inScope(scope: StreamScope, db: string, coll: string | undefined): boolean {
  if (coll?.startsWith('system.')) return false;
  switch (scope.kind) {
    case 'collection': return db === scope.db && coll === scope.coll;
    case 'database': return db === scope.db;
    case 'cluster': return !INTERNAL_DBS.has(db);
  }
}

/** The events one oplog entry produces for a stream: none, one, or an event plus `invalidate`. */
export function eventsFor(entry: OplogEntry, scope: StreamScope, opts: EventOptions, source: EventSource): PositionedEvent[] {
  const { db, coll } = entry.ns;
  const base = (operationType: string): Document => ({
    _id: encodeResumeToken({ ts: entry.ts, invalidate: false }),
    operationType,
    clusterTime: entry.ts,
    wallTime: entry.wallTime,
  });
  const invalidate = (): PositionedEvent => ({
    invalidate: true,
    doc: { _id: encodeResumeToken({ ts: entry.ts, invalidate: true }), operationType: 'invalidate', clusterTime: entry.ts, wallTime: entry.wallTime },
  });
  const ns = coll === undefined ? { db } : { db, coll };
  const withTxn = (d: Document): Document => {
    if (opts.showExpandedEvents && entry.collectionUUID !== undefined) d.collectionUUID = entry.collectionUUID;
    if (entry.lsid !== undefined) d.lsid = entry.lsid;
    if (entry.txnNumber !== undefined) d.txnNumber = entry.txnNumber;
    return d;
  };

  switch (entry.op) {
    case 'insert': {
      if (!inScope(scope, db, coll)) return [];
      return [{ invalidate: false, doc: withTxn({ ...base('insert'), fullDocument: entry.fullDocument, ns, documentKey: entry.documentKey }) }];
    }
    case 'update':
    case 'replace':
    case 'delete': {
      if (!inScope(scope, db, coll)) return [];
      const d: Document = base(entry.op);
      if (entry.op === 'replace') d.fullDocument = entry.fullDocument;
      d.ns = ns;
      d.documentKey = entry.documentKey;
      if (entry.op === 'update') {
        const ud = entry.updateDescription ?? { updatedFields: {}, removedFields: [], truncatedArrays: [] };
        d.updateDescription = opts.showExpandedEvents
          ? { ...ud, disambiguatedPaths: disambiguatedPaths(ud, source.lookupDocument(db, coll!, entry.documentKey?._id)) }
          : { ...ud };
        const full = updateFullDocument(entry, opts.fullDocument, source);
        if (full !== undefined) d.fullDocument = full;
      }
      if (opts.fullDocumentBeforeChange !== 'off') {
        d.fullDocumentBeforeChange = beforeImage(entry, opts.fullDocumentBeforeChange, source);
      }
      return [{ invalidate: false, doc: withTxn(d) }];
    }
    case 'drop': {
      if (!inScope(scope, db, coll)) return [];
      const ev = { invalidate: false, doc: withTxn({ ...base('drop'), ns }) };
      return scope.kind === 'collection' ? [ev, invalidate()] : [ev];
    }
    case 'rename': {
      const to = entry.to;
      const fromWatched = inScope(scope, db, coll);
      const toWatched = to !== undefined && inScope(scope, to.db, to.coll);
      if (!fromWatched && !toWatched) return [];
      const renamed = withTxn({ ...base('rename'), ns, to });
      // Expanded events describe the rename (MongoDB reports whether a target was replaced).
      if (opts.showExpandedEvents) renamed.operationDescription = { to, dropTarget: entry.operationDescription?.dropTarget ?? false };
      const ev = { invalidate: false, doc: renamed };
      if (scope.kind === 'collection') return fromWatched ? [ev, invalidate()] : [invalidate()];
      return [ev];
    }
    case 'dropDatabase': {
      if (scope.kind === 'cluster') return INTERNAL_DBS.has(db) ? [] : [{ invalidate: false, doc: { ...base('dropDatabase'), ns: { db } } }];
      if (scope.db !== db) return [];
      if (scope.kind === 'collection') return [invalidate()];
      return [{ invalidate: false, doc: { ...base('dropDatabase'), ns: { db } } }, invalidate()];
    }
    default: {
      if (!DDL_EXPANDED.has(entry.op) || !opts.showExpandedEvents || !inScope(scope, db, coll)) return [];
      const d = withTxn({ ...base(entry.op), ns });
      if (entry.operationDescription) d.operationDescription = entry.operationDescription;
      return [{ invalidate: false, doc: d }];
    }
  }
}

/**
 * With showExpandedEvents, MongoDB spells out every path that has a numeric component, since
 * "a.1" could be field "1" or array index 1: each maps to its components, indexes as integers.
 * Whether a component is an index is read off the document as it is now.
 */
function disambiguatedPaths(ud: { updatedFields: Document; removedFields: string[] }, doc: Document | null): Document {
  const out: Document = {};
  for (const path of [...Object.keys(ud.updatedFields), ...ud.removedFields]) {
    const parts = path.split('.');
    if (!parts.some((p) => /^\d+$/.test(p))) continue;
    let cur: unknown = doc;
    out[path] = parts.map((p) => {
      const isIndex = Array.isArray(cur) && /^\d+$/.test(p);
      cur = cur !== null && typeof cur === 'object' ? (cur as Document)[p] : undefined;
      return isIndex ? Number(p) : p;
    });
  }
  return out;
}

function updateFullDocument(entry: OplogEntry, mode: FullDocumentMode, source: EventSource): Document | null | undefined {
  const { db, coll } = entry.ns;
  switch (mode) {
    case 'default': return undefined;
    case 'updateLookup': return source.lookupDocument(db, coll!, entry.documentKey?._id);
    case 'whenAvailable':
      return storedPostImage(entry, source) ?? null;
    case 'required': {
      const image = storedPostImage(entry, source);
      if (image) return image;
      throw noImage('post-image', entry);
    }
  }
}

function storedPostImage(entry: OplogEntry, source: EventSource): Document | undefined {
  const { db, coll } = entry.ns;
  if (!source.preAndPostImagesEnabled(db, coll!)) return undefined;
  if (entry.fullDocument) return entry.fullDocument;
  if (entry.fullDocumentBeforeChange && entry.updateDescription) return postImage(entry.fullDocumentBeforeChange, entry.updateDescription);
  return undefined;
}

function beforeImage(entry: OplogEntry, mode: BeforeChangeMode, source: EventSource): Document | null {
  const { db, coll } = entry.ns;
  const available = source.preAndPostImagesEnabled(db, coll!) ? entry.fullDocumentBeforeChange : undefined;
  if (available) return available;
  if (mode === 'required') throw noImage('pre-image', entry);
  return null;
}

function noImage(kind: string, entry: OplogEntry) {
  return changeStreamFatal(
    `Change stream was configured to require a ${kind} for all update, delete and replace events, but no ${kind} was available for ${entry.ns.db}.${entry.ns.coll ?? ''}`,
  );
}
