// The storage engine: the catalog of collections, every change applied through a Unit (which
// records its WAL ops, its undo steps and its oplog entries), recovery from snapshot + WAL, and
// compaction of the WAL into a new snapshot.
import fs from 'node:fs';
import path from 'node:path';
import { Binary, Timestamp, calculateObjectSize, deserialize, serialize, type Document } from 'bson';
import { valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { Oplog, computeUpdateDescription, type OplogEntry, type OplogOp } from '../oplog.js';
import { Collection } from './Collection.js';
import { acquireLock, releaseLock } from './lockFile.js';
import type { IndexSpec, Rec } from './SortedIndex.js';
import { Wal, frame, readRecords } from './Wal.js';

export type WalOp =
  | { o: 'i' | 'u'; ns: string; d: Document }
  | { o: 'd'; ns: string; id: unknown }
  | { o: 'cc'; ns: string; opts: Document; uuid: Binary }
  | { o: 'dc'; ns: string }
  | { o: 'ci'; ns: string; spec: IndexSpec }
  | { o: 'di'; ns: string; name: string }
  | { o: 'dd'; db: string }
  | { o: 'rn'; ns: string; to: string };

export interface TxnMeta {
  lsid?: Document;
  txnNumber?: unknown;
}

/** One atomic group of changes: applied to memory at once, written as one WAL record. */
export class Unit {
  readonly ops: WalOp[] = [];
  readonly undo: (() => void)[] = [];
  readonly oplog: OplogEntry[] = [];
  /** Index of the op each oplog entry's fullDocument came from (saves writing it twice). */
  readonly oplogOp: number[] = [];
  constructor(readonly meta: TxnMeta = {}) {}
  get empty(): boolean {
    return this.ops.length === 0;
  }
}

export interface EngineOptions {
  dbPath: string;
  /** fdatasync every WAL group before acknowledging (default true). */
  fsync?: boolean;
  /** Compact the WAL into a snapshot once it exceeds this many bytes (default 64 MiB). */
  compactBytes?: number;
  /** Oplog entries kept for change streams (default 100,000). */
  oplogRetain?: number;
}

export function splitNs(ns: string): [string, string] {
  const i = ns.indexOf('.');
  return [ns.slice(0, i), ns.slice(i + 1)];
}

const SNAPSHOT_RE = /^snapshot-(\d+)\.bson$/;
const WAL_RE = /^wal-(\d+)\.log$/;

export class Engine {
  readonly colls = new Map<string, Collection>();
  readonly oplog: Oplog;
  private wal!: Wal;
  private seq = 0;
  private unacked: Unit[] = [];
  private lastTs = { t: 0, i: 0 };
  private compacting: Promise<void> | null = null;
  private closed = false;
  readonly startedAt = new Date();

  // Snapshot reads for transactions: while a transaction holds a snapshot, every document change
  // keeps its before-image here, so the transaction can read documents as of its snapshot.
  private changeSeq = 0;
  private history: { seq: number; ns: string; key: string; before: Document | null }[] = [];
  private lastChange = new Map<string, number>();
  private snapshots = new Map<number, number>();
  /** Databases created explicitly that hold no collection yet are not listed (as in MongoDB). */

  private constructor(readonly options: Required<EngineOptions>) {
    this.oplog = new Oplog(options.oplogRetain);
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    const options: Required<EngineOptions> = {
      fsync: true,
      compactBytes: 64 * 1024 * 1024,
      oplogRetain: 100_000,
      ...opts,
      dbPath: path.resolve(opts.dbPath),
    };
    try {
      fs.mkdirSync(options.dbPath, { recursive: true });
    } catch (e) {
      throw new Error(`embedded-mongo: cannot create data directory ${options.dbPath}: ${(e as Error).message}`);
    }
    acquireLock(options.dbPath);
    const engine = new Engine(options);
    try {
      engine.recover();
    } catch (e) {
      releaseLock(options.dbPath);
      throw e;
    }
    return engine;
  }

  get dbPath(): string {
    return this.options.dbPath;
  }

  // ---------------------------------------------------------------- time

  /** The next cluster time (unique, increasing): the ts of an oplog entry. */
  nextTs(): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.lastTs.t) this.lastTs = { t: now, i: 1 };
    else this.lastTs = { t: this.lastTs.t, i: this.lastTs.i + 1 };
    return new Timestamp({ t: this.lastTs.t, i: this.lastTs.i });
  }

  /** The latest cluster time handed out (operationTime / $clusterTime). */
  clusterTime(): Timestamp {
    if (this.lastTs.t === 0) return this.nextTs();
    return new Timestamp({ t: this.lastTs.t, i: this.lastTs.i });
  }

  // ---------------------------------------------------------------- snapshots

  /** Starts a snapshot: changes after this point are invisible to `historySince(seq)` readers. */
  openSnapshot(): number {
    const seq = this.changeSeq;
    this.snapshots.set(seq, (this.snapshots.get(seq) ?? 0) + 1);
    return seq;
  }

  closeSnapshot(seq: number): void {
    const n = (this.snapshots.get(seq) ?? 0) - 1;
    if (n > 0) this.snapshots.set(seq, n);
    else this.snapshots.delete(seq);
    if (this.snapshots.size === 0) {
      this.history = [];
      this.lastChange.clear();
      return;
    }
    const oldest = Math.min(...this.snapshots.keys());
    let drop = 0;
    while (drop < this.history.length && this.history[drop]!.seq <= oldest) drop++;
    if (drop > 1024 || drop * 2 > this.history.length) this.history = this.history.slice(drop);
  }

  private noteChange(ns: string, id: unknown, before: Document | null): void {
    const seq = ++this.changeSeq;
    if (this.snapshots.size === 0) return;
    const key = valueKey(id);
    this.history.push({ seq, ns, key, before });
    this.lastChange.set(ns + '\u0000' + key, seq);
  }

  /** True when the document changed after snapshot `seq` (a write to it would be a lost update). */
  changedSince(seq: number, ns: string, id: unknown): boolean {
    return (this.lastChange.get(ns + '\u0000' + valueKey(id)) ?? -1) > seq;
  }

  /** For each document of `ns` changed after snapshot `seq`: its state as of the snapshot. */
  historySince(seq: number, ns: string): Map<string, Document | null> | undefined {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    let out: Map<string, Document | null> | undefined;
    for (let i = lo; i < this.history.length; i++) {
      const h = this.history[i]!;
      if (h.ns !== ns) continue;
      out ??= new Map();
      if (!out.has(h.key)) out.set(h.key, h.before);
    }
    return out;
  }

  // ---------------------------------------------------------------- catalog

  coll(ns: string): Collection | undefined {
    return this.colls.get(ns);
  }

  dbNames(): string[] {
    const s = new Set<string>();
    for (const c of this.colls.values()) s.add(c.db);
    return [...s].sort();
  }

  collections(db: string): Collection[] {
    return [...this.colls.values()].filter((c) => c.db === db);
  }

  private entry(op: OplogOp, ns: string, unit: Unit, extra: Partial<OplogEntry> = {}): OplogEntry {
    const [db, coll] = splitNs(ns);
    const e: OplogEntry = { ts: this.nextTs(), wallTime: new Date(), ns: coll ? { db, coll } : { db }, op, ...extra };
    if (unit.meta.lsid) e.lsid = unit.meta.lsid;
    if (unit.meta.txnNumber !== undefined) e.txnNumber = unit.meta.txnNumber;
    return e;
  }

  private log(unit: Unit, e: OplogEntry, fromOp = -1): void {
    unit.oplog.push(e);
    unit.oplogOp.push(fromOp);
  }

  createCollection(unit: Unit, ns: string, options: Document = {}): Collection {
    const existing = this.colls.get(ns);
    if (existing) return existing;
    validateNs(ns);
    const [db, name] = splitNs(ns);
    const c = new Collection(db, name, options);
    this.colls.set(ns, c);
    unit.ops.push({ o: 'cc', ns, opts: options, uuid: c.uuid });
    unit.undo.push(() => this.colls.delete(ns));
    const description = typeof options.viewOn === 'string' ? { viewOn: options.viewOn, pipeline: options.pipeline ?? [] } : { idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
    this.log(unit, this.entry('create', ns, unit, { collectionUUID: c.uuid, operationDescription: description }));
    return c;
  }

  dropCollection(unit: Unit, ns: string): boolean {
    const c = this.colls.get(ns);
    if (!c) return false;
    this.colls.delete(ns);
    unit.ops.push({ o: 'dc', ns });
    unit.undo.push(() => this.colls.set(ns, c));
    this.log(unit, this.entry('drop', ns, unit, { collectionUUID: c.uuid }));
    return true;
  }

  dropDatabase(unit: Unit, db: string): void {
    const colls = this.collections(db);
    for (const c of colls) this.dropCollection(unit, c.ns);
    unit.ops.push({ o: 'dd', db });
    this.log(unit, this.entry('dropDatabase', db, unit));
  }

  renameCollection(unit: Unit, from: string, to: string, dropTarget = false): void {
    const c = this.colls.get(from)!;
    validateNs(to);
    this.colls.delete(from);
    const [db, name] = splitNs(to);
    const [odb, oname] = [c.db, c.name];
    c.db = db;
    c.name = name;
    this.colls.set(to, c);
    unit.ops.push({ o: 'rn', ns: from, to });
    unit.undo.push(() => {
      this.colls.delete(to);
      c.db = odb;
      c.name = oname;
      this.colls.set(from, c);
    });
    this.log(unit, this.entry('rename', from, unit, { to: { db, coll: name }, operationDescription: { to: { db, coll: name }, dropTarget }, collectionUUID: c.uuid }));
  }

  /** collMod: new collection options (and index changes already applied by the caller). */
  modifyCollection(unit: Unit, c: Collection, options: Document, description: Document): void {
    const old = c.options;
    c.options = options;
    unit.ops.push({ o: 'cc', ns: c.ns, opts: options, uuid: c.uuid });
    unit.undo.push(() => (c.options = old));
    this.log(unit, this.entry('modify', c.ns, unit, { operationDescription: description, collectionUUID: c.uuid }));
  }

  createIndex(unit: Unit, c: Collection, spec: IndexSpec): void {
    c.addIndex(spec);
    unit.ops.push({ o: 'ci', ns: c.ns, spec });
    unit.undo.push(() => c.dropIndex(spec.name));
    this.log(unit, this.entry('createIndexes', c.ns, unit, { operationDescription: { indexes: [spec] }, collectionUUID: c.uuid }));
  }

  dropIndex(unit: Unit, c: Collection, name: string): void {
    const ix = c.getIndex(name);
    if (!ix) return;
    c.dropIndex(name);
    unit.ops.push({ o: 'di', ns: c.ns, name });
    unit.undo.push(() => c.indexes.push(ix));
    this.log(unit, this.entry('dropIndexes', c.ns, unit, { operationDescription: { indexes: [ix.spec] }, collectionUUID: c.uuid }));
  }

  // ---------------------------------------------------------------- documents

  private preImages(c: Collection): boolean {
    const o = c.options.changeStreamPreAndPostImages as Document | undefined;
    return !!o && o.enabled === true;
  }

  insert(unit: Unit, c: Collection, doc: Document): Rec {
    c.checkUnique(doc, null);
    const r = c.insert(doc);
    this.noteChange(c.ns, doc._id, null);
    unit.ops.push({ o: 'i', ns: c.ns, d: doc });
    unit.undo.push(() => c.remove(r));
    this.log(unit, this.entry('insert', c.ns, unit, { documentKey: { _id: doc._id }, fullDocument: doc, collectionUUID: c.uuid }), unit.ops.length - 1);
    return r;
  }

  /** Replaces a record's document; `kind` says how the change stream reports it. */
  replace(unit: Unit, c: Collection, r: Rec, doc: Document, kind: 'update' | 'replace'): void {
    const before = r.doc;
    c.checkUnique(doc, r);
    c.replace(r, doc);
    this.noteChange(c.ns, doc._id, before);
    unit.ops.push({ o: 'u', ns: c.ns, d: doc });
    unit.undo.push(() => c.replace(r, before));
    const extra: Partial<OplogEntry> = { documentKey: { _id: doc._id }, collectionUUID: c.uuid };
    if (kind === 'replace') extra.fullDocument = doc;
    else extra.updateDescription = computeUpdateDescription(before, doc);
    if (this.preImages(c)) extra.fullDocumentBeforeChange = before;
    this.log(unit, this.entry(kind, c.ns, unit, extra), kind === 'replace' ? unit.ops.length - 1 : -1);
  }

  remove(unit: Unit, c: Collection, r: Rec): void {
    c.remove(r);
    this.noteChange(c.ns, r.doc._id, r.doc);
    unit.ops.push({ o: 'd', ns: c.ns, id: r.doc._id });
    unit.undo.push(() => c.restore(r));
    const extra: Partial<OplogEntry> = { documentKey: { _id: r.doc._id }, collectionUUID: c.uuid };
    if (this.preImages(c)) extra.fullDocumentBeforeChange = r.doc;
    this.log(unit, this.entry('delete', c.ns, unit, extra));
  }

  /** The committed document with this _id (for `fullDocument: 'updateLookup'`). */
  findDocument(ns: string, id: unknown): Document | null {
    return this.colls.get(ns)?.getById(id)?.doc ?? null;
  }

  // ---------------------------------------------------------------- commit

  /**
   * Makes a unit durable: one WAL record, fsynced (with whatever else is queued) before this
   * resolves. Its oplog entries are published after that. On a WAL failure the unit (and every
   * unit queued after it) is undone in memory and this rejects.
   */
  async commit(unit: Unit): Promise<void> {
    if (unit.empty) return;
    if (this.closed) {
      this.undoUnit(unit);
      throw new MongoServerError(ErrorCodes.InternalError, 'the server is shutting down');
    }
    const payload = encodeRecord(unit);
    this.unacked.push(unit);
    try {
      await this.wal.append(payload);
    } catch (e) {
      throw new MongoServerError(ErrorCodes.InternalError, (e as Error).message);
    }
    const i = this.unacked.indexOf(unit);
    if (i >= 0) this.unacked.splice(i, 1);
    this.oplog.append(unit.oplog);
    if (this.wal.size > this.options.compactBytes && !this.compacting) void this.compact();
  }

  /** Undoes a unit that was applied in memory but will not be committed. */
  undoUnit(unit: Unit): void {
    for (let i = unit.undo.length - 1; i >= 0; i--) unit.undo[i]!();
  }

  private onWalFailure(count: number): void {
    const failed = this.unacked.splice(this.unacked.length - count, count);
    for (let i = failed.length - 1; i >= 0; i--) this.undoUnit(failed[i]!);
  }

  // ---------------------------------------------------------------- recovery & compaction

  private file(name: string): string {
    return path.join(this.options.dbPath, name);
  }

  private listSeqs(re: RegExp): number[] {
    return fs
      .readdirSync(this.options.dbPath)
      .map((f) => re.exec(f))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  private recover(): void {
    const snaps = this.listSeqs(SNAPSHOT_RE);
    let base = 0;
    for (let i = snaps.length - 1; i >= 0; i--) {
      const s = snaps[i]!;
      if (this.loadSnapshot(this.file(`snapshot-${s}.bson`))) {
        base = s;
        break;
      }
      this.colls.clear();
    }
    const wals = this.listSeqs(WAL_RE).filter((s) => s >= base);
    for (const s of wals) {
      const p = this.file(`wal-${s}.log`);
      const data = fs.readFileSync(p);
      const { records, validBytes } = readRecords(data);
      for (const rec of records) this.replay(rec);
      // What follows the last intact record (preallocated zeros, or a torn or corrupt record
      // that was never acknowledged) is cut off.
      if (validBytes < data.length) fs.truncateSync(p, validBytes);
    }
    this.seq = Math.max(base, wals[wals.length - 1] ?? base, 1);
    const latest = this.oplog.latestTs();
    if (latest) this.lastTs = { t: latest.high >>> 0, i: latest.low >>> 0 };
    this.wal = Wal.open(this.file(`wal-${this.seq}.log`), { fsync: this.options.fsync }, (n) => this.onWalFailure(n));
    // Older files left behind by an interrupted compaction.
    for (const s of snaps) if (s < base) fs.rmSync(this.file(`snapshot-${s}.bson`), { force: true });
    for (const s of this.listSeqs(WAL_RE)) if (s < base) fs.rmSync(this.file(`wal-${s}.log`), { force: true });
    for (const f of fs.readdirSync(this.options.dbPath)) if (f.endsWith('.tmp')) fs.rmSync(this.file(f), { force: true });
  }

  private loadSnapshot(file: string): boolean {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return false;
    }
    const { records } = readRecords(data);
    const last = records[records.length - 1];
    if (!last || deserialize(last).t !== 'e') return false;
    const oplog: OplogEntry[] = [];
    for (const rec of records) {
      const r = deserialize(rec);
      if (r.t === 'c') {
        const c = new Collection(r.db, r.name, r.options, r.uuid);
        // Indexes are built once all documents are loaded (rebuildIndexes below).
        for (const spec of r.indexes as IndexSpec[]) if (spec.name !== '_id_') c.addIndex(spec);
        this.colls.set(c.ns, c);
      } else if (r.t === 'd') {
        this.colls.get(r.ns)!.loadDocs(r.docs as Document[]);
      } else if (r.t === 'o') {
        for (const e of r.entries as OplogEntry[]) oplog.push(e);
      }
    }
    for (const c of this.colls.values()) c.rebuildIndexes();
    this.oplog.load(oplog);
    return true;
  }

  /** Applies one WAL record again (idempotent: recovery may see a change the snapshot holds). */
  private replay(rec: Buffer): void {
    const r = deserialize(rec);
    const ops = r.ops as WalOp[];
    for (const op of ops) {
      switch (op.o) {
        case 'i':
        case 'u': {
          const c = this.colls.get(op.ns) ?? this.restoreColl(op.ns, {});
          const existing = c.getById(op.d._id);
          if (existing) c.replace(existing, op.d);
          else c.insert(op.d);
          break;
        }
        case 'd': {
          const c = this.colls.get(op.ns);
          const existing = c?.getById(op.id);
          if (c && existing) c.remove(existing);
          break;
        }
        case 'cc': {
          const existing = this.colls.get(op.ns);
          if (existing) existing.options = op.opts;
          else this.restoreColl(op.ns, op.opts, op.uuid);
          break;
        }
        case 'dc':
          this.colls.delete(op.ns);
          break;
        case 'dd':
          for (const c of this.collections(op.db)) this.colls.delete(c.ns);
          break;
        case 'ci': {
          const c = this.colls.get(op.ns);
          const existing = c?.getIndex(op.spec.name);
          if (existing) existing.spec.expireAfterSeconds = op.spec.expireAfterSeconds; // collMod
          else c?.addIndex(op.spec);
          break;
        }
        case 'di':
          this.colls.get(op.ns)?.dropIndex(op.name);
          break;
        case 'rn': {
          const c = this.colls.get(op.ns);
          if (c) {
            this.colls.delete(op.ns);
            [c.db, c.name] = splitNs(op.to);
            this.colls.set(op.to, c);
          }
          break;
        }
      }
    }
    const entries = (r.oplog ?? []) as (OplogEntry & { $o?: number })[];
    for (const e of entries) {
      if (e.$o !== undefined) {
        const op = ops[e.$o] as { d: Document } | undefined;
        if (op) e.fullDocument = op.d;
        delete e.$o;
      }
    }
    this.oplog.append(entries);
  }

  private restoreColl(ns: string, opts: Document, uuid?: Binary): Collection {
    const [db, name] = splitNs(ns);
    const c = new Collection(db, name, opts, uuid);
    this.colls.set(ns, c);
    return c;
  }

  /** Writes the current state as a snapshot and starts a new WAL, then drops the old files. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = new Promise<void>((resolve) => {
      this.wal.whenIdle(() => {
        // Nothing is in flight: everything in memory is in the old WAL. Capture the state
        // (documents are immutable, so references are a consistent snapshot) and switch logs.
        const newSeq = this.seq + 1;
        const oldWal = this.wal;
        const oldSeq = this.seq;
        this.wal = Wal.open(this.file(`wal-${newSeq}.log`), { fsync: this.options.fsync }, (n) => this.onWalFailure(n));
        this.seq = newSeq;
        const state = [...this.colls.values()].map((c) => ({
          head: { t: 'c', db: c.db, name: c.name, options: c.options, uuid: c.uuid, indexes: c.indexes.map((i) => i.spec) },
          ns: c.ns,
          docs: [...c.byId.values()].map((r) => r.doc),
        }));
        const oplog = this.oplog.all();
        void oldWal.close();
        this.writeSnapshot(newSeq, state, oplog)
          .then(() => {
            for (const s of this.listSeqs(SNAPSHOT_RE)) if (s < newSeq) fs.rmSync(this.file(`snapshot-${s}.bson`), { force: true });
            for (const s of this.listSeqs(WAL_RE)) if (s <= oldSeq) fs.rmSync(this.file(`wal-${s}.log`), { force: true });
          })
          .catch((e) => {
            process.emitWarning(`embedded-mongo: compaction failed (the WAL is kept): ${(e as Error).message}`);
          })
          .finally(() => {
            this.compacting = null;
            resolve();
          });
      });
    });
    return this.compacting;
  }

  private async writeSnapshot(seq: number, state: { head: Document; ns: string; docs: Document[] }[], oplog: OplogEntry[]): Promise<void> {
    const tmp = this.file(`snapshot-${seq}.bson.tmp`);
    const fh = await fs.promises.open(tmp, 'w');
    try {
      let batch: Buffer[] = [];
      let bytes = 0;
      const put = async (rec: Document) => {
        const b = frame(serializeLarge(rec));
        batch.push(b);
        bytes += b.length;
        if (bytes > 4 * 1024 * 1024) await flush();
      };
      const flush = async () => {
        if (!batch.length) return;
        const data = Buffer.concat(batch);
        batch = [];
        bytes = 0;
        await fh.write(data);
      };
      await put({ t: 'h', seq, version: 1 });
      for (const c of state) {
        await put(c.head);
        for (let i = 0; i < c.docs.length; i += 1000) await put({ t: 'd', ns: c.ns, docs: c.docs.slice(i, i + 1000) });
      }
      for (let i = 0; i < oplog.length; i += 1000) await put({ t: 'o', entries: oplog.slice(i, i + 1000) });
      await put({ t: 'e' });
      await flush();
      if (this.options.fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    const final = this.file(`snapshot-${seq}.bson`);
    await fs.promises.rename(tmp, final);
    if (this.options.fsync) fsyncDir(this.options.dbPath);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.compacting) await this.compacting;
    this.closed = true;
    await this.wal.close();
    releaseLock(this.options.dbPath);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported on every platform */
  }
}

function serializeLarge(doc: Document): Uint8Array {
  try {
    return serialize(doc);
  } catch (e) {
    if (!(e instanceof RangeError) && !/buffer|size/i.test((e as Error).message)) throw e;
    return serialize(doc, { minInternalBufferSize: calculateObjectSize(doc) + 1024 } as never);
  }
}

function encodeRecord(unit: Unit): Uint8Array {
  const oplog = unit.oplog.map((e, i) => {
    const from = unit.oplogOp[i]!;
    if (from < 0) return e;
    const { fullDocument: _omit, ...rest } = e;
    return { ...rest, $o: from };
  });
  return serializeLarge({ ops: unit.ops, oplog });
}

export function validateNs(ns: string): void {
  const [db, coll] = splitNs(ns);
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw new MongoServerError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  }
  if (!coll || coll.includes('\0') || coll.includes('$') || coll.startsWith('.') || coll.startsWith('system.')) {
    if (!/^system\.(views|js|buckets\..*)$/.test(coll)) {
      throw new MongoServerError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${coll}`);
    }
  }
}

