// The oplog: every committed write as a change entry, in commit order, for change streams.
// Entries are written inside the same WAL record as the write they describe (so they survive a
// restart exactly when the write does) and the last `retain` of them are kept across compaction.
import { Timestamp, type Document } from 'bson';
import { compareValues, isPlainObject, valuesEqual } from './bson/values.js';

export type OplogOp =
  | 'insert'
  | 'update'
  | 'replace'
  | 'delete'
  | 'drop'
  | 'rename'
  | 'dropDatabase'
  | 'create'
  | 'createIndexes'
  | 'dropIndexes'
  | 'modify';

export interface UpdateDescription {
  updatedFields: Document;
  removedFields: string[];
  truncatedArrays: { field: string; newSize: number }[];
}

export interface OplogEntry {
  ts: Timestamp;
  wallTime: Date;
  ns: { db: string; coll?: string };
  op: OplogOp;
  documentKey?: { _id: unknown };
  fullDocument?: Document;
  updateDescription?: UpdateDescription;
  fullDocumentBeforeChange?: Document;
  to?: { db: string; coll: string };
  /** createIndexes / dropIndexes / create: the operation's description. */
  operationDescription?: Document;
  lsid?: Document;
  txnNumber?: unknown;
  /** Collection UUID at the time of the event. */
  collectionUUID?: unknown;
}

export type OplogListener = (entries: readonly OplogEntry[]) => void;

export class Oplog {
  private entries: OplogEntry[] = [];
  private start = 0;
  private listeners = new Set<OplogListener>();

  constructor(public retain = 100_000) {}

  /** Appends committed entries (in ts order) and notifies subscribers. */
  append(entries: readonly OplogEntry[]): void {
    if (!entries.length) return;
    for (const e of entries) this.entries.push(e);
    const excess = this.entries.length - this.start - this.retain;
    if (excess > 0) this.start += excess;
    if (this.start > 4096 && this.start * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
    for (const l of this.listeners) {
      try {
        l(entries);
      } catch {
        /* a listener's failure must not affect the write */
      }
    }
  }

  /** Entries with ts strictly after `ts` (all retained entries when null), at most `limit`. */
  readAfter(ts: Timestamp | null, limit = Infinity): OplogEntry[] {
    const list = this.entries;
    let lo = this.start;
    if (ts) {
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareValues(list[mid]!.ts, ts) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    const end = Math.min(list.length, lo + limit);
    return list.slice(lo, end);
  }

  /** The oldest retained entry's ts (a resume token older than this can no longer resume). */
  oldestTs(): Timestamp | null {
    return this.entries[this.start]?.ts ?? null;
  }

  latestTs(): Timestamp | null {
    return this.entries.length > this.start ? this.entries[this.entries.length - 1]!.ts : null;
  }

  subscribe(listener: OplogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): OplogEntry[] {
    return this.entries.slice(this.start);
  }

  load(entries: OplogEntry[]): void {
    this.entries = entries.slice(-this.retain);
    this.start = 0;
  }
}

/**
 * The change from `before` to `after` as change streams report it: dotted paths of the fields set
 * (nested documents are descended; arrays and values that changed type are reported whole) and
 * the paths removed.
 */
export function computeUpdateDescription(before: Document, after: Document): UpdateDescription {
  const updatedFields: Document = {};
  const removedFields: string[] = [];
  const truncatedArrays: { field: string; newSize: number }[] = [];
  diff(before, after, '', updatedFields, removedFields, truncatedArrays);
  return { updatedFields, removedFields, truncatedArrays };
}

function diff(a: Document, b: Document, prefix: string, upd: Document, rem: string[], trunc: { field: string; newSize: number }[]): void {
  for (const k of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) rem.push(prefix + k);
  }
  for (const k of Object.keys(b)) {
    const path = prefix + k;
    const nv = b[k];
    if (!Object.prototype.hasOwnProperty.call(a, k)) {
      upd[path] = nv;
      continue;
    }
    const ov = a[k];
    if (isPlainObject(ov) && isPlainObject(nv)) {
      diff(ov, nv, path + '.', upd, rem, trunc);
    } else if (Array.isArray(ov) && Array.isArray(nv)) {
      if (nv.length < ov.length && nv.every((x, i) => sameValue(x, ov[i]))) {
        trunc.push({ field: path, newSize: nv.length });
      } else if (nv.length >= ov.length && ov.every((x, i) => sameValue(x, nv[i]))) {
        for (let i = ov.length; i < nv.length; i++) upd[path + '.' + i] = nv[i];
      } else if (nv.length === ov.length) {
        // Same length: report the elements that changed (descending into documents), as
        // MongoDB does for `$set: { 'a.0.b': ... }`.
        for (let i = 0; i < nv.length; i++) {
          const o = ov[i];
          const n = nv[i];
          if (isPlainObject(o) && isPlainObject(n)) diff(o, n, `${path}.${i}.`, upd, rem, trunc);
          else if (!sameValue(o, n)) upd[`${path}.${i}`] = n;
        }
      } else if (!sameValue(ov, nv)) {
        upd[path] = nv;
      }
    } else if (!sameValue(ov, nv)) {
      upd[path] = nv;
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return valuesEqual(a, b) && typeof a === typeof b;
}
