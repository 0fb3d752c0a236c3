// How commands change documents. Outside a transaction (DirectWriter) each change is applied to
// the engine at once inside the command's Unit, committed (fsynced) when the command ends.
// Inside one (TxnWriter) changes go to the transaction's write set until commitTransaction.
import type { Document } from 'bson';
import { valueKey } from '../bson/values.js';
import { compileFilter } from '../query/matcher.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import type { Collection } from '../storage/Collection.js';
import { Unit, type Engine } from '../storage/Engine.js';
import type { Rec } from '../storage/SortedIndex.js';
import { lockKey, type ChangeKind, type Sessions, type Txn } from './Sessions.js';

export interface Writer {
  readonly engine: Engine;
  readonly txn: Txn | undefined;
  /** The collection (committed catalog), creating it implicitly when `create`. */
  coll(ns: string, create?: boolean): Collection | undefined;
  overlay(ns: string): Map<string, Document | null> | undefined;
  getById(ns: string, id: unknown): Document | null;
  insert(ns: string, doc: Document): void;
  update(ns: string, before: Document, after: Document, kind: 'update' | 'replace'): void;
  delete(ns: string, doc: Document): void;
  /** Before a multi-document statement changes anything: waits out (or conflicts on) locks. */
  precheck(ns: string, docs: Document[]): void;
  /** The command asked for bypassDocumentValidation. */
  bypassValidation: boolean;
}

/** Enforces a collection's `validator` (a query document) unless validationLevel is 'off'. */
export function validateDocument(c: Collection | undefined, doc: Document, before?: Document): void {
  const validator = c?.options.validator as Document | undefined;
  if (!c || !validator || c.options.validationLevel === 'off' || c.options.validationAction === 'warn') return;
  let m = validators.get(c);
  if (!m || m.spec !== validator) {
    let test: (d: Document) => boolean;
    try {
      const q = compileFilter(validator);
      test = (d) => q.test(d);
    } catch {
      test = () => true; // a validator this server can't evaluate ($jsonSchema) is not enforced
    }
    m = { spec: validator, test };
    validators.set(c, m);
  }
  // 'moderate' only checks updates of documents that were valid.
  if (before && c.options.validationLevel === 'moderate' && !m.test(before)) return;
  if (!m.test(doc)) {
    throw new MongoServerError(121, 'Document failed validation', { errInfo: { failingDocumentId: doc._id, details: { operatorName: '$and', clausesNotSatisfied: [] } } });
  }
}
const validators = new WeakMap<Collection, { spec: Document; test: (d: Document) => boolean }>();

function duplicateId(c: Collection | undefined, ns: string, id: unknown): MongoServerError {
  if (c) return c.idIndex.duplicateError([id], c.db, c.name);
  const i = ns.indexOf('.');
  return new MongoServerError(ErrorCodes.DuplicateKey, `E11000 duplicate key error collection: ${ns} index: _id_ dup key: { _id: ${String(id)} }`, {
    keyPattern: { _id: 1 },
    keyValue: { _id: id },
    ns: ns.slice(0, i),
  });
}

export class DirectWriter implements Writer {
  readonly txn = undefined;
  bypassValidation = false;
  constructor(
    readonly engine: Engine,
    readonly sessions: Sessions,
    readonly unit: Unit = new Unit(),
  ) {}

  coll(ns: string, create = false): Collection | undefined {
    return this.engine.coll(ns) ?? (create ? this.engine.createCollection(this.unit, ns) : undefined);
  }

  overlay(): undefined {
    return undefined;
  }

  precheck(ns: string, docs: Document[]): void {
    for (const d of docs) this.sessions.checkUnlocked(lockKey(ns, d._id));
  }

  getById(ns: string, id: unknown): Document | null {
    return this.engine.coll(ns)?.getById(id)?.doc ?? null;
  }

  insert(ns: string, doc: Document): void {
    this.sessions.checkUnlocked(lockKey(ns, doc._id));
    const c = this.coll(ns, true)!;
    if (c.getById(doc._id)) throw duplicateId(c, ns, doc._id);
    if (!this.bypassValidation) validateDocument(c, doc);
    this.engine.insert(this.unit, c, doc);
  }

  private rec(ns: string, doc: Document): [Collection, Rec] {
    const c = this.engine.coll(ns);
    const r = c?.getById(doc._id);
    if (!c || !r) throw new MongoServerError(ErrorCodes.WriteConflict, 'document was removed concurrently', {}, []);
    return [c, r];
  }

  update(ns: string, before: Document, after: Document, kind: 'update' | 'replace'): void {
    this.sessions.checkUnlocked(lockKey(ns, before._id));
    const [c, r] = this.rec(ns, before);
    if (!this.bypassValidation) validateDocument(c, after, before);
    this.engine.replace(this.unit, c, r, after, kind);
  }

  delete(ns: string, doc: Document): void {
    this.sessions.checkUnlocked(lockKey(ns, doc._id));
    const [c, r] = this.rec(ns, doc);
    this.engine.remove(this.unit, c, r);
  }
}

export class TxnWriter implements Writer {
  bypassValidation = false;
  constructor(
    readonly engine: Engine,
    readonly sessions: Sessions,
    readonly txn: Txn,
  ) {}

  coll(ns: string, create = false): Collection | undefined {
    const c = this.engine.coll(ns);
    if (!c && create) this.txn.createdNs.add(ns);
    return c;
  }

  /** The transaction's view of `ns`: its snapshot (documents changed since) plus its own writes. */
  overlay(ns: string): Map<string, Document | null> | undefined {
    const own = this.txn.overlay(ns);
    const snap = this.txn.snapshot === undefined ? undefined : this.engine.historySince(this.txn.snapshot, ns);
    if (!snap) return own;
    if (own) for (const [k, v] of own) snap.set(k, v);
    return snap;
  }

  precheck(ns: string, docs: Document[]): void {
    for (const d of docs) this.lock(ns, d._id);
  }

  /** Locks the document; a document changed since the snapshot is a write conflict. */
  private lock(ns: string, id: unknown): void {
    if (this.txn.snapshot !== undefined && this.engine.changedSince(this.txn.snapshot, ns, id)) {
      throw new MongoServerError(ErrorCodes.WriteConflict, 'Write conflict: the document was changed after this transaction started. Please retry your operation or multi-document transaction.', {}, ['TransientTransactionError']);
    }
    this.sessions.lock(this.txn, lockKey(ns, id));
  }

  getById(ns: string, id: unknown): Document | null {
    const o = this.overlay(ns);
    const k = valueKey(id);
    if (o && o.has(k)) return o.get(k)!;
    return this.engine.coll(ns)?.getById(id)?.doc ?? null;
  }

  private record(ns: string, kind: ChangeKind, id: unknown, after: Document | null): void {
    this.lock(ns, id);
    let w = this.txn.writes.get(ns);
    if (!w) {
      w = new Map();
      this.txn.writes.set(ns, w);
    }
    w.set(valueKey(id), after);
    this.txn.log.push({ ns, kind, id, after });
  }

  /** Unique indexes checked against committed data (minus what this transaction rewrote) and its own writes. */
  private checkUnique(ns: string, doc: Document): void {
    const c = this.engine.coll(ns);
    if (!c) return;
    const own = this.overlay(ns);
    const selfKey = valueKey(doc._id);
    const ignore = own ? (r: Rec) => own.has(valueKey(r.doc._id)) : undefined;
    for (const ix of c.indexes) {
      if (!ix.unique || ix.name === '_id_') continue;
      const keys = ix.keysFor(doc);
      ix.checkUnique(keys, null, c.db, c.name, (r) => valueKey(r.doc._id) === selfKey || (ignore ? ignore(r) : false));
      if (!own) continue;
      for (const [k, other] of own) {
        if (!other || k === selfKey) continue;
        for (const ok of ix.keysFor(other)) for (const nk of keys) if (ix.cmpKeys(ok, nk) === 0) throw ix.duplicateError(nk, c.db, c.name);
      }
    }
  }

  insert(ns: string, doc: Document): void {
    this.coll(ns, true);
    if (this.getById(ns, doc._id)) throw duplicateId(this.engine.coll(ns), ns, doc._id);
    if (!this.bypassValidation) validateDocument(this.engine.coll(ns), doc);
    this.checkUnique(ns, doc);
    this.record(ns, 'insert', doc._id, doc);
  }

  update(ns: string, before: Document, after: Document, kind: 'update' | 'replace'): void {
    if (!this.bypassValidation) validateDocument(this.engine.coll(ns), after, before);
    this.checkUnique(ns, after);
    this.record(ns, kind, before._id, after);
  }

  delete(ns: string, doc: Document): void {
    this.record(ns, 'delete', doc._id, null);
  }
}

/**
 * Applies a transaction's statements in order as one Unit (one WAL record, one group of oplog
 * entries sharing lsid + txnNumber) and makes it durable.
 */
export async function commitTxn(engine: Engine, sessions: Sessions, txn: Txn): Promise<void> {
  const unit = new Unit({ lsid: txn.session.lsid, txnNumber: txn.number });
  try {
    for (const ns of txn.createdNs) engine.createCollection(unit, ns);
    for (const st of txn.log) {
      const c = engine.coll(st.ns) ?? engine.createCollection(unit, st.ns);
      const r = c.getById(st.id);
      if (st.kind === 'delete') {
        if (r) engine.remove(unit, c, r);
      } else if (r) {
        engine.replace(unit, c, r, st.after!, st.kind === 'insert' ? 'replace' : st.kind);
      } else {
        engine.insert(unit, c, st.after!);
      }
    }
  } catch (e) {
    engine.undoUnit(unit);
    sessions.abort(txn);
    if (e instanceof MongoServerError && e.code === ErrorCodes.DuplicateKey) {
      throw new MongoServerError(ErrorCodes.WriteConflict, 'Write conflict at commit: ' + e.message, {}, ['TransientTransactionError']);
    }
    throw e;
  }
  txn.state = 'committed';
  txn.session.committed.add(txn.number);
  sessions.release(txn);
  try {
    await engine.commit(unit);
  } catch (e) {
    // The WAL refused the record (the engine already undid it in memory): not committed.
    txn.state = 'aborted';
    txn.session.committed.delete(txn.number);
    throw e;
  }
}
