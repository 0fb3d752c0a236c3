// The query planner: picks the index whose leading fields the filter bounds best (equality,
// $in, ranges), or one that yields the requested sort order, and scans only the matching range.
// Every candidate is still checked against the full filter, so a plan only has to be a superset.
import type { Document } from 'bson';
import { TypeBound, compareValues, isPlainObject, typeOrder } from '../bson/values.js';
import type { Collection } from '../storage/Collection.js';
import type { Rec, SortedIndex } from '../storage/SortedIndex.js';

interface Bound {
  v: unknown;
  incl: boolean;
}
interface FieldBounds {
  eq?: unknown[];
  lo?: Bound;
  hi?: Bound;
}

export interface Plan {
  /** 'IDHACK' | 'IXSCAN' | 'COLLSCAN' (the names explain() uses). */
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN';
  index?: string;
  /** Records in the order the plan yields them. */
  recs: Iterable<Rec>;
  /** True when `recs` already come in the requested sort order. */
  sorted: boolean;
  /** True when every record yielded is known to match (no filter re-check needed). */
  exact: boolean;
  /** For a $or answered by a union: each branch's plan. */
  branches?: Plan[];
}

function isRegex(v: unknown): boolean {
  return v instanceof RegExp || (v as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp';
}

function indexable(v: unknown): boolean {
  return !Array.isArray(v) && !isRegex(v) && v !== undefined;
}

function addEq(b: FieldBounds, vals: unknown[]): void {
  if (!b.eq) b.eq = vals;
  else b.eq = b.eq.filter((x) => vals.some((y) => compareValues(x, y) === 0 && typeOrder(x) === typeOrder(y)));
}

/** Per-field bounds from the filter's top level (and top-level $and). */
export function extractBounds(filter: Document, out = new Map<string, FieldBounds>()): Map<string, FieldBounds> {
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    if (key === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) extractBounds(sub, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    const b = out.get(key) ?? {};
    if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
      for (const op of Object.keys(v)) {
        const x = v[op];
        switch (op) {
          case '$eq':
            if (indexable(x)) addEq(b, [x]);
            break;
          case '$in':
            if (Array.isArray(x) && x.every(indexable)) addEq(b, x);
            break;
          case '$gt':
          case '$gte':
            if (indexable(x) && x !== null && !isPlainObject(x)) {
              const nb = { v: x, incl: op === '$gte' };
              if (!b.lo || compareValues(x, b.lo.v) > 0) b.lo = nb;
            }
            break;
          case '$lt':
          case '$lte':
            if (indexable(x) && x !== null && !isPlainObject(x)) {
              const nb = { v: x, incl: op === '$lte' };
              if (!b.hi || compareValues(x, b.hi.v) < 0) b.hi = nb;
            }
            break;
        }
      }
    } else if (indexable(v)) {
      addEq(b, [v]);
    }
    if (b.eq || b.lo || b.hi) out.set(key, b);
  }
  return out;
}

function usable(ix: SortedIndex): boolean {
  return !ix.sparse && !ix.partial;
}

/** True when `filter` is exactly { _id: <scalar> } (the fast path needs no filter re-check). */
function exactIdFilter(filter: Document): boolean {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return false;
  const v = filter._id;
  return indexable(v) && !isPlainObject(v);
}

export function plan(coll: Collection, filter: Document, sort?: Document): Plan {
  const bounds = extractBounds(filter);
  const idb = bounds.get('_id');
  if (idb?.eq && idb.eq.length <= 1000) {
    const recs: Rec[] = [];
    const seen = new Set<Rec>();
    for (const v of idb.eq) {
      const r = coll.getById(v);
      if (r && !seen.has(r)) {
        seen.add(r);
        recs.push(r);
      }
    }
    return { stage: 'IDHACK', index: '_id_', recs, sorted: recs.length <= 1, exact: exactIdFilter(filter) };
  }

  let best: SortedIndex | undefined;
  let bestScore = 0;
  let bestEq = 0;
  for (const ix of coll.indexes) {
    if (!usable(ix)) continue;
    let eqCount = 0;
    let score = 0;
    for (const f of ix.fields) {
      const b = bounds.get(f);
      if (b?.eq) {
        eqCount++;
        score += 4;
        continue;
      }
      if (b && (b.lo || b.hi)) score += 2;
      break;
    }
    if (score === 0) continue;
    if (ix.unique && eqCount === ix.fields.length) score += 3;
    if (score > bestScore || (score === bestScore && best && ix.fields.length < best.fields.length)) {
      best = ix;
      bestScore = score;
      bestEq = eqCount;
    }
  }
  if (best) return { stage: 'IXSCAN', index: best.name, recs: boundedScan(best, bounds, bestEq), sorted: false, exact: false };

  // A top-level $or whose every branch can use an index: the union of the branches' scans.
  if (Array.isArray(filter.$or) && filter.$or.length && filter.$or.length <= 64) {
    const rest: Document = { ...filter };
    delete rest.$or;
    const branches = (filter.$or as unknown[]).map((b) => (isPlainObject(b) ? plan(coll, { ...rest, ...b }) : null));
    if (branches.every((b) => b && b.stage !== 'COLLSCAN')) {
      return { stage: 'IXSCAN', recs: union(branches as Plan[]), sorted: false, exact: false, branches: branches as Plan[] };
    }
  }

  // No bounds: an index whose order is the requested sort saves sorting (and allows early limit).
  if (sort && Object.keys(sort).length) {
    const sfields = Object.keys(sort);
    for (const ix of coll.indexes) {
      if (!usable(ix) || ix.multikey || ix.fields.length < sfields.length) continue;
      let dir = 0;
      let ok = true;
      for (let i = 0; i < sfields.length; i++) {
        if (ix.fields[i] !== sfields[i]) {
          ok = false;
          break;
        }
        const d = (Number(sort[sfields[i]!]) < 0 ? -1 : 1) * ix.dirs[i]!;
        if (dir === 0) dir = d;
        else if (d !== dir) {
          ok = false;
          break;
        }
      }
      if (ok) return { stage: 'IXSCAN', index: ix.name, recs: mapRecs(ix.scan([], dir < 0)), sorted: true, exact: false };
    }
  }
  return { stage: 'COLLSCAN', recs: coll.records(), sorted: false, exact: Object.keys(filter).length === 0 };
}

function* union(plans: Plan[]): Generator<Rec> {
  const seen = new Set<Rec>();
  for (const p of plans) {
    for (const r of p.recs) {
      if (!seen.has(r)) {
        seen.add(r);
        yield r;
      }
    }
  }
}

function* mapRecs(entries: Iterable<{ r: Rec }>): Generator<Rec> {
  for (const e of entries) yield e.r;
}

function* boundedScan(ix: SortedIndex, bounds: Map<string, FieldBounds>, eqCount: number): Generator<Rec> {
  const eqSets = ix.fields.slice(0, eqCount).map((f) => bounds.get(f)!.eq!);
  let combos: unknown[][] = [[]];
  for (const set of eqSets) {
    const next: unknown[][] = [];
    for (const c of combos) for (const v of set) next.push([...c, v]);
    combos = next;
    if (combos.length > 5000) break;
  }
  if (combos.length > 5000) {
    // Too many combinations to seek one by one: scan on the first field's values only.
    combos = eqSets[0]!.map((v) => [v]);
    eqCount = 1;
  }
  const rf = ix.fields[eqCount];
  const rb = rf !== undefined ? bounds.get(rf) : undefined;
  let lo = rb?.lo;
  let hi = rb?.hi;
  // On a multikey index, two bounds may be met by different array elements: keep one.
  if (ix.multikey && lo && hi) hi = undefined;
  const hasRange = !!(lo || hi);
  const bracket = hasRange ? typeOrder((lo ?? hi)!.v) : 0;
  const dir = hasRange ? ix.dirs[eqCount]! : 1;
  const seen = new Set<Rec>();
  for (const combo of combos) {
    const start = [...combo];
    if (hasRange) {
      if (dir > 0) start.push(lo ? lo.v : new TypeBound(bracket, false));
      else start.push(hi ? hi.v : new TypeBound(bracket, true));
    }
    for (const e of ix.scan(start)) {
      if (ix.cmpKeys(e.k, combo, combo.length) !== 0) break;
      if (hasRange) {
        const v = e.k[eqCount];
        const t = typeOrder(v);
        if (t !== bracket) {
          if ((t - bracket) * dir > 0) break;
          continue;
        }
        if (lo) {
          const c = compareValues(v, lo.v);
          if (c < 0 || (c === 0 && !lo.incl)) {
            if (dir < 0) break;
            continue;
          }
        }
        if (hi) {
          const c = compareValues(v, hi.v);
          if (c > 0 || (c === 0 && !hi.incl)) {
            if (dir > 0) break;
            continue;
          }
        }
      }
      if (!seen.has(e.r)) {
        seen.add(e.r);
        yield e.r;
      }
    }
  }
}
