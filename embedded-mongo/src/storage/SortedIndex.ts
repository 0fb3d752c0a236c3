// One index: entries (key tuple, record) kept sorted in a chunked array (a flat B+-tree: binary
// search over chunks, then inside one), so inserts cost O(log n + chunk) and scans are in order.
import type { Document } from 'bson';
import { compileFilter, type Matcher } from '../query/matcher.js';
import { compareValues, pathValues, toNumber, valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { formatKey } from './formatKey.js';

/** A stored document. Documents are never mutated in place: an update swaps `doc`. */
export class Rec {
  constructor(
    public doc: Document,
    readonly rid: number,
  ) {}
}

export interface Entry {
  k: unknown[];
  r: Rec;
}

export interface IndexSpec {
  v?: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
  [option: string]: unknown;
}

const CHUNK = 256;

export class SortedIndex {
  readonly fields: string[];
  readonly dirs: number[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Matcher | undefined;
  /** True once any document produced more than one key (an array on an indexed path). */
  multikey = false;
  /** Bumped on every change so lazy scans know to re-seek. */
  version = 0;
  size = 0;
  private chunks: Entry[][] = [[]];

  constructor(
    readonly spec: IndexSpec,
    readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.dirs = this.fields.map((f) => (toNumber(spec.key[f]) < 0 ? -1 : 1));
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** The key tuples a document contributes (deduplicated), or none when sparse/partial excludes it. */
  keysFor(doc: Document): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    const n = this.fields.length;
    if (n === 1) {
      const vals = expand(pathValues(doc, this.fields[0]!));
      if (vals.length === 0) return this.sparse ? [] : [[null]];
      if (vals.length === 1) return [[vals[0]]];
      return dedupe(vals.map((v) => [v]));
    }
    const perField: unknown[][] = [];
    let present = false;
    for (const f of this.fields) {
      const vals = expand(pathValues(doc, f));
      if (vals.length) present = true;
      perField.push(vals.length ? vals : [null]);
    }
    if (this.sparse && !present) return [];
    let out: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const prefix of out) for (const v of vals) next.push([...prefix, v]);
      out = next;
    }
    return out.length > 1 ? dedupe(out) : out;
  }

  cmpKeys(a: unknown[], b: unknown[], n = this.fields.length): number {
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i], b[i]);
      if (c) return c * this.dirs[i]!;
    }
    return 0;
  }

  private cmpEntry(a: Entry, b: Entry): number {
    return this.cmpKeys(a.k, b.k) || a.r.rid - b.r.rid;
  }

  /** Position of the first entry >= probe (prefix compare; `after` puts the probe after equal prefixes). */
  private seek(prefix: unknown[], after: boolean): [number, number] {
    const n = prefix.length;
    return this.firstNotBefore((e) => {
      const c = this.cmpKeys(e.k, prefix, n);
      return after ? c <= 0 : c < 0;
    });
  }

  /** Position of `e`, or where it would be inserted. */
  private locate(e: Entry): [number, number] {
    return this.firstNotBefore((x) => this.cmpEntry(x, e) < 0);
  }

  /**
   * [chunk, offset] of the first entry for which `before` is false (entries are sorted, so
   * `before` is true for a prefix of them): a binary search over the chunks' last entries, then
   * one within the chunk.
   */
  private firstNotBefore(before: (e: Entry) => boolean): [number, number] {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const ch = chunks[mid]!;
      if (ch.length && before(ch[ch.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    const ch = chunks[lo]!;
    let a = 0;
    let b = ch.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (before(ch[mid]!)) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  /** Throws DuplicateKey if `keys` collide with a record other than `self`. */
  checkUnique(keys: unknown[][], self: Rec | null, db: string, coll: string, ignore?: (r: Rec) => boolean): void {
    if (!this.unique) return;
    for (const k of keys) {
      for (const e of this.equal(k)) {
        if (e.r === self || (ignore && ignore(e.r))) continue;
        throw this.duplicateError(k, db, coll);
      }
    }
  }

  duplicateError(k: unknown[], db: string, coll: string): MongoServerError {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => (keyValue[f] = k[i] === undefined ? null : k[i]));
    const shown = this.fields.map((f, i) => `${f}: ${formatKey(k[i])}`).join(', ');
    return new MongoServerError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${db}.${coll} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }

  *equal(k: unknown[]): Generator<Entry> {
    let [ci, i] = this.seek(k, false);
    const n = this.fields.length;
    for (; ci < this.chunks.length; ci++, i = 0) {
      const ch = this.chunks[ci]!;
      for (; i < ch.length; i++) {
        if (this.cmpKeys(ch[i]!.k, k, n) !== 0) return;
        yield ch[i]!;
      }
    }
  }

  add(doc: Document, r: Rec, keys = this.keysFor(doc)): void {
    if (keys.length > 1) this.multikey = true;
    for (const k of keys) this.insertEntry({ k, r });
  }

  remove(doc: Document, r: Rec, keys = this.keysFor(doc)): void {
    for (const k of keys) this.removeEntry({ k, r });
  }

  private insertEntry(e: Entry): void {
    this.version++;
    const chunks = this.chunks;
    // Fast path: appending in key order (ObjectId _ids, timestamps).
    const last = chunks[chunks.length - 1]!;
    let ci: number;
    let i: number;
    if (last.length === 0 || this.cmpEntry(last[last.length - 1]!, e) < 0) {
      ci = chunks.length - 1;
      i = last.length;
    } else {
      [ci, i] = this.locate(e);
    }
    const ch = chunks[ci]!;
    ch.splice(i, 0, e);
    this.size++;
    if (ch.length > CHUNK * 2) {
      const right = ch.splice(CHUNK);
      chunks.splice(ci + 1, 0, right);
    }
  }

  private removeEntry(e: Entry): void {
    const [ci, i] = this.locate(e);
    const ch = this.chunks[ci];
    if (!ch || ch[i]?.r !== e.r) return;
    this.version++;
    ch.splice(i, 1);
    this.size--;
    if (ch.length === 0 && this.chunks.length > 1) this.chunks.splice(ci, 1);
  }

  /**
   * Entries in index order (or reverse) starting at `prefix` (all entries when empty). Survives
   * index changes between steps by re-seeking after the last entry it returned.
   */
  *scan(prefix: unknown[] = [], reverse = false): Generator<Entry> {
    let ci: number;
    let i: number;
    if (reverse) {
      [ci, i] = prefix.length ? this.seek(prefix, true) : [this.chunks.length - 1, this.chunks[this.chunks.length - 1]!.length];
      i--;
    } else {
      [ci, i] = prefix.length ? this.seek(prefix, false) : [0, 0];
    }
    let version = this.version;
    let lastEntry: Entry | undefined;
    while (true) {
      if (version !== this.version && lastEntry) {
        version = this.version;
        [ci, i] = this.locate(lastEntry);
        const ch = this.chunks[ci];
        const found = ch && i < ch.length && ch[i] && this.cmpEntry(ch[i]!, lastEntry) === 0;
        if (reverse) i--;
        else if (found) i++;
      }
      if (reverse) {
        while (ci >= 0 && i < 0) {
          ci--;
          if (ci >= 0) i = this.chunks[ci]!.length - 1;
        }
        if (ci < 0) return;
      } else {
        while (ci < this.chunks.length && i >= this.chunks[ci]!.length) {
          ci++;
          i = 0;
        }
        if (ci >= this.chunks.length) return;
      }
      const e = this.chunks[ci]![i]!;
      lastEntry = e;
      yield e;
      if (reverse) i--;
      else i++;
    }
  }

  /** Builds the index from scratch over `recs` (one sort instead of n inserts). */
  build(recs: Iterable<Rec>, check?: { db: string; coll: string }): void {
    const entries: Entry[] = [];
    for (const r of recs) {
      const keys = this.keysFor(r.doc);
      if (keys.length > 1) this.multikey = true;
      for (const k of keys) entries.push({ k, r });
    }
    entries.sort((a, b) => this.cmpEntry(a, b));
    if (check && this.unique) {
      for (let i = 1; i < entries.length; i++) {
        const a = entries[i - 1]!;
        const b = entries[i]!;
        if (a.r !== b.r && this.cmpKeys(a.k, b.k) === 0) throw this.duplicateError(b.k, check.db, check.coll);
      }
    }
    const chunks: Entry[][] = [];
    for (let i = 0; i < entries.length; i += CHUNK) chunks.push(entries.slice(i, i + CHUNK));
    this.chunks = chunks.length ? chunks : [[]];
    this.size = entries.length;
    this.version++;
  }

  clear(): void {
    this.chunks = [[]];
    this.size = 0;
    this.multikey = false;
    this.version++;
  }
}

function expand(vals: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (Array.isArray(v)) {
      out ??= vals.slice(0, i);
      if (v.length === 0) out.push(undefined);
      else for (const x of v) out.push(x);
    } else if (out) out.push(v);
  }
  return out ?? vals;
}

function dedupe(keys: unknown[][]): unknown[][] {
  const seen = new Set<string>();
  const out: unknown[][] = [];
  for (const k of keys) {
    const s = k.map(valueKey).join('\u0001');
    if (!seen.has(s)) {
      seen.add(s);
      out.push(k);
    }
  }
  return out;
}
