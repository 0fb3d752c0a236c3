// Running a read: plan -> candidate records -> (transaction overlay) -> filter -> sort ->
// skip/limit -> projection. Lazy where no sort is needed, so a limited query stops early.
import type { Document } from 'bson';

import { compareValues, pathValues, valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import type { Collection } from '../storage/Collection.js';
import { collationFold, type Fold } from './collation.js';
import { compileFilter } from './matcher.js';
import { Query, queryOptions } from './mingoContext.js';
import { plan, type Plan } from './planner.js';

/** A transaction's own changes to one collection: _id key -> new document (null = deleted). */
export type Overlay = Map<string, Document | null>;

export interface ReadOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
  overlay?: Overlay;
  variables?: Document;
  collation?: Document;
  /** Candidate documents to use instead of a collection (a view's pipeline output). */
  source?: Document[];
}

export interface ReadResult {
  docs: Iterable<Document>;
  plan: Plan | null;
}

/** Documents matching `filter` (before projection), in sort order when `sort` is given. */
export function select(coll: Collection | undefined, filter: Document, opts: ReadOptions = {}): ReadResult {
  const sort = opts.sort && Object.keys(opts.sort).length ? opts.sort : undefined;
  const overlay = opts.overlay && opts.overlay.size ? opts.overlay : undefined;
  const fold = collationFold(opts.collation);
  // With a case-insensitive collation, indexes (binary order) can't bound the scan.
  const p = coll ? plan(coll, fold ? {} : filter, overlay || fold ? undefined : sort) : null;
  let matcher: { test(d: Document): boolean } | null = p?.exact && !overlay && !fold ? null : compileFilter(fold ? (fold(filter) as Document) : filter, opts.variables);
  if (fold && matcher) {
    const m = matcher;
    matcher = { test: (d) => m.test(fold(d) as Document) };
  }
  let docs: Iterable<Document> = opts.source ? filterDocs(opts.source, matcher) : p ? filterRecs(p, matcher, overlay) : [];
  if (overlay) docs = withOverlay(docs, overlay, matcher);
  const skip = opts.skip ?? 0;
  const limit = opts.limit ?? 0;
  // Without an index in sort order: a full sort, or keep only the first skip+limit (top-k).
  if (sort && !(p?.sorted && !overlay && !fold)) docs = sortDocs(docs, sort, fold, limit ? skip + limit : 0);
  if (skip || limit) docs = slice(docs, skip, limit);
  return { docs, plan: p };
}

function* filterRecs(p: Plan, matcher: { test(d: Document): boolean } | null, overlay: Overlay | undefined): Generator<Document> {
  for (const r of p.recs) {
    const d = r.doc;
    if (overlay && overlay.has(valueKey(d._id))) continue;
    if (!matcher || matcher.test(d)) yield d;
  }
}

function* filterDocs(docs: Document[], matcher: { test(d: Document): boolean } | null): Generator<Document> {
  for (const d of docs) if (!matcher || matcher.test(d)) yield d;
}

function* withOverlay(base: Iterable<Document>, overlay: Overlay, matcher: { test(d: Document): boolean } | null): Generator<Document> {
  yield* base;
  for (const d of overlay.values()) if (d && (!matcher || matcher.test(d))) yield d;
}

function* slice(docs: Iterable<Document>, skip: number, limit: number): Generator<Document> {
  let i = 0;
  let n = 0;
  for (const d of docs) {
    if (i++ < skip) continue;
    yield d;
    if (limit && ++n >= limit) return;
  }
}

/** MongoDB's sort: arrays sort by their smallest (ascending) or largest (descending) element. */
export function sortDocs(input: Iterable<Document>, sort: Document, fold?: Fold, keep = 0): Document[] {
  const fields = Object.keys(sort);
  for (const f of fields) {
    const d = sort[f];
    if (typeof d === 'object' && d !== null) {
      if ((d as Document).$meta) continue;
      throw new MongoServerError(ErrorCodes.BadValue, `Illegal key in $sort specification: ${f}: ${JSON.stringify(d)}`);
    }
    if (d !== 1 && d !== -1 && Number(d) !== 1 && Number(d) !== -1) {
      throw new MongoServerError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
  }
  const dirs = fields.map((f) => (Number(sort[f]) < 0 ? -1 : 1));
  type Keyed = { doc: Document; i: number; k: unknown[] };
  const cmp = (a: Keyed, b: Keyed) => {
    for (let j = 0; j < fields.length; j++) {
      const c = compareValues(a.k[j], b.k[j]);
      if (c) return c * dirs[j]!;
    }
    return a.i - b.i;
  };
  const keyOf = (doc: Document, i: number): Keyed => ({ doc, i, k: fields.map((f, j) => sortKey(fold ? (fold(doc) as Document) : doc, f, dirs[j]!)) });
  let i = 0;
  if (keep > 0 && keep <= 10_000) {
    // Bounded insertion into a sorted array: O(n log k) and k documents of memory.
    const top: Keyed[] = [];
    for (const doc of input) {
      const x = keyOf(doc, i++);
      if (top.length === keep && cmp(x, top[keep - 1]!) >= 0) continue;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(top[mid]!, x) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, x);
      if (top.length > keep) top.pop();
    }
    return top.map((x) => x.doc);
  }
  const keyed: Keyed[] = [];
  for (const doc of input) keyed.push(keyOf(doc, i++));
  keyed.sort(cmp);
  return keyed.map((x) => x.doc);
}

function sortKey(doc: Document, path: string, dir: number): unknown {
  const vals = pathValues(doc, path);
  if (vals.length === 0) return null;
  let best: unknown;
  let has = false;
  for (const v of vals) {
    const items = Array.isArray(v) ? (v.length ? v : [undefined]) : [v];
    for (const x of items) {
      const val = x === undefined ? null : x;
      if (!has || compareValues(val, best) * dir < 0) {
        best = val;
        has = true;
      }
    }
  }
  return best;
}

/** Applies a find-style projection (inclusion, exclusion, $slice, $elemMatch, positional). */
export function project(docs: Document[], projection: Document | undefined, filter?: Document): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  try {
    return new Query(filter && needsFilter(projection) ? filter : {}, queryOptions()).find(docs, projection).all() as Document[];
  } catch (e) {
    throw new MongoServerError(ErrorCodes.BadValue, (e as Error).message.replace(/^mingo: /, ''));
  }
}

function needsFilter(projection: Document): boolean {
  return Object.keys(projection).some((k) => k.endsWith('.$'));
}
