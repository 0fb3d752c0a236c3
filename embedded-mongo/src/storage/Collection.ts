// A collection's committed state: records by _id, and its indexes (the _id index first).
import { Binary, UUID, type Document } from 'bson';
import { valueKey } from '../bson/values.js';
import { Rec, SortedIndex, type IndexSpec } from './SortedIndex.js';

export interface CollectionOptions {
  uuid?: Binary;
  [option: string]: unknown;
}

export class Collection {
  readonly byId = new Map<string, Rec>();
  indexes: SortedIndex[];
  private nextRid = 1;
  uuid: Binary;

  constructor(
    public db: string,
    public name: string,
    public options: Document = {},
    uuid?: Binary,
  ) {
    this.uuid = uuid ?? new UUID();
    this.indexes = [new SortedIndex({ v: 2, key: { _id: 1 }, name: '_id_' }, this.ns)];
  }

  get ns(): string {
    return this.db + '.' + this.name;
  }

  get idIndex(): SortedIndex {
    return this.indexes[0]!;
  }

  get count(): number {
    return this.byId.size;
  }

  getById(id: unknown): Rec | undefined {
    return this.byId.get(valueKey(id));
  }

  getIndex(name: string): SortedIndex | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Throws DuplicateKey if `doc` would collide in a unique index (ignoring `self`). */
  checkUnique(doc: Document, self: Rec | null, ignore?: (r: Rec) => boolean): void {
    for (const ix of this.indexes) {
      if (ix.unique) ix.checkUnique(ix.keysFor(doc), self, this.db, this.name, ignore);
    }
  }

  insert(doc: Document): Rec {
    const r = new Rec(doc, this.nextRid++);
    this.byId.set(valueKey(doc._id), r);
    for (const ix of this.indexes) ix.add(doc, r);
    return r;
  }

  replace(r: Rec, doc: Document): void {
    const old = r.doc;
    for (const ix of this.indexes) {
      if (ix.name === '_id_') continue;
      const before = ix.keysFor(old);
      const after = ix.keysFor(doc);
      if (sameKeys(ix, before, after)) continue;
      ix.remove(old, r, before);
      ix.add(doc, r, after);
    }
    r.doc = doc;
  }

  /** Puts back a record removed by `remove` (undo). */
  restore(r: Rec): void {
    this.byId.set(valueKey(r.doc._id), r);
    for (const ix of this.indexes) ix.add(r.doc, r);
  }

  remove(r: Rec): void {
    this.byId.delete(valueKey(r.doc._id));
    for (const ix of this.indexes) ix.remove(r.doc, r);
  }

  addIndex(spec: IndexSpec): SortedIndex {
    const ix = new SortedIndex(spec, this.ns);
    ix.build(this.byId.values(), { db: this.db, coll: this.name });
    this.indexes.push(ix);
    return ix;
  }

  /** Loads documents known to be valid (a snapshot) without maintaining indexes per document. */
  loadDocs(docs: Document[]): void {
    for (const doc of docs) this.byId.set(valueKey(doc._id), new Rec(doc, this.nextRid++));
  }

  /** Rebuilds every index over the current records (after loadDocs). */
  rebuildIndexes(): void {
    for (const ix of this.indexes) ix.build(this.byId.values());
  }

  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((i) => i.name !== name);
  }

  /** Records in natural (insertion) order, as a collection scan returns them. */
  records(): Iterable<Rec> {
    return this.byId.values();
  }

  truncate(): void {
    this.byId.clear();
    for (const ix of this.indexes) ix.clear();
  }
}

function sameKeys(ix: SortedIndex, a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (ix.cmpKeys(a[i]!, b[i]!) !== 0) return false;
  return true;
}
