// Logical sessions and multi-document transactions.
//
// Isolation model: a transaction's writes live in its own write set (read back through an
// overlay) and become visible all together at commit, in one WAL record; abort discards them.
// Reads inside a transaction see the latest committed data plus the transaction's own writes
// (read-committed, not a point-in-time snapshot).
//
// Conflicts: a transaction locks each document it writes (by _id). A second transaction writing
// the same document gets WriteConflict (112, TransientTransactionError) at once, so the driver's
// withTransaction retries it. A write outside any transaction to a locked document waits until
// the transaction commits or aborts (as MongoDB does), bounded by the transaction lifetime limit.
import { type Binary, type Document } from 'bson';
import { valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';

export type TxnState = 'active' | 'committed' | 'aborted';
export type ChangeKind = 'insert' | 'update' | 'replace' | 'delete';

export interface TxnStatement {
  ns: string;
  kind: ChangeKind;
  id: unknown;
  after: Document | null;
}

export class Txn {
  state: TxnState = 'active';
  readonly startedAt = Date.now();
  /** ns -> (_id key -> document after the transaction's writes; null = deleted). */
  readonly writes = new Map<string, Map<string, Document | null>>();
  readonly log: TxnStatement[] = [];
  readonly locks = new Set<string>();
  readonly createdNs = new Set<string>();
  /** The snapshot this transaction reads (see Engine.openSnapshot). */
  snapshot: number | undefined;
  constructor(
    readonly session: Session,
    readonly number: number,
  ) {}
  overlay(ns: string): Map<string, Document | null> | undefined {
    return this.writes.get(ns);
  }
}

export class Session {
  txnNumber = -1;
  txn: Txn | undefined;
  lastUse = Date.now();
  /** Transaction numbers that committed (commitTransaction is retryable). */
  committed = new Set<number>();
  /** The last retryable write (txnNumber without a transaction) and its reply, for retries. */
  lastRetryable: { txnNumber: number; reply: Document } | undefined;
  constructor(
    readonly key: string,
    readonly lsid: Document,
  ) {}
}

export class LockWait extends Error {
  constructor(readonly released: Promise<void>) {
    super('waiting for a transaction to release a document');
  }
}

export function lockKey(ns: string, id: unknown): string {
  return ns + '\u0000' + valueKey(id);
}

export function sessionKey(lsid: Document): string {
  const id = lsid.id as Binary | undefined;
  if (id && typeof (id as Binary).toString === 'function' && (id as Binary).buffer) return Buffer.from((id as Binary).buffer).toString('hex');
  return JSON.stringify(lsid);
}

export class Sessions {
  readonly sessions = new Map<string, Session>();
  private readonly locks = new Map<string, Txn>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private timer: NodeJS.Timeout;

  constructor(
    /** transactionLifetimeLimitSeconds: older transactions are aborted. */
    private readonly txnLifetimeMS = 60_000,
    private readonly sessionTimeoutMS = 30 * 60_000,
    private readonly onExpire: (s: Session) => void = () => {},
    private readonly snapshots?: { openSnapshot(): number; closeSnapshot(seq: number): void },
  ) {
    this.timer = setInterval(() => this.reap(), 1000);
    this.timer.unref();
  }

  get(lsid: Document): Session {
    const key = sessionKey(lsid);
    let s = this.sessions.get(key);
    if (!s) {
      s = new Session(key, lsid);
      this.sessions.set(key, s);
    }
    s.lastUse = Date.now();
    return s;
  }

  end(lsid: Document): void {
    const key = sessionKey(lsid);
    const s = this.sessions.get(key);
    if (!s) return;
    if (s.txn?.state === 'active') this.abort(s.txn);
    this.sessions.delete(key);
    this.onExpire(s);
  }

  /** The transaction a command with `autocommit: false` runs in (starting it if asked). */
  resolveTxn(s: Session, txnNumber: number, start: boolean): Txn {
    if (start) {
      if (txnNumber < s.txnNumber || (txnNumber === s.txnNumber && s.txn)) {
        if (txnNumber === s.txnNumber && s.txn?.state === 'active') {
          throw new MongoServerError(ErrorCodes.ConflictingOperationInProgress, `Cannot start transaction ${txnNumber} on session ${s.key} because a transaction with the same number is in progress.`);
        }
        throw new MongoServerError(225, `Cannot start transaction ${txnNumber} on session ${s.key} because a newer transaction ${s.txnNumber} has already started.`, {}, []);
      }
      if (s.txn?.state === 'active') this.abort(s.txn);
      s.txnNumber = txnNumber;
      s.txn = new Txn(s, txnNumber);
      s.txn.snapshot = this.snapshots?.openSnapshot();
      return s.txn;
    }
    if (txnNumber !== s.txnNumber || !s.txn || s.txn.state !== 'active') {
      const why = s.txn && txnNumber === s.txnNumber && s.txn.state === 'committed' ? 'has been committed' : 'has been aborted or does not exist';
      if (s.txn && txnNumber === s.txnNumber && s.txn.state === 'committed') {
        throw new MongoServerError(ErrorCodes.TransactionCommitted, `Transaction ${txnNumber} ${why}.`);
      }
      throw new MongoServerError(ErrorCodes.NoSuchTransaction, `Transaction with { txnNumber: ${txnNumber} } ${why}.`, {}, ['TransientTransactionError']);
    }
    return s.txn;
  }

  /** Locks a document for `txn`; WriteConflict when another transaction holds it. */
  lock(txn: Txn, key: string): void {
    const owner = this.locks.get(key);
    if (owner === txn) return;
    if (owner && owner.state === 'active') {
      throw new MongoServerError(ErrorCodes.WriteConflict, 'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.', {}, ['TransientTransactionError']);
    }
    this.locks.set(key, txn);
    txn.locks.add(key);
  }

  /** For writes outside transactions: throws LockWait while a transaction holds the document. */
  checkUnlocked(key: string): void {
    const owner = this.locks.get(key);
    if (!owner || owner.state !== 'active') return;
    throw new LockWait(
      new Promise<void>((resolve) => {
        const list = this.waiters.get(key) ?? [];
        list.push(resolve);
        this.waiters.set(key, list);
      }),
    );
  }

  lockedBy(key: string): Txn | undefined {
    const t = this.locks.get(key);
    return t && t.state === 'active' ? t : undefined;
  }

  release(txn: Txn): void {
    if (txn.snapshot !== undefined) {
      this.snapshots?.closeSnapshot(txn.snapshot);
      txn.snapshot = undefined;
    }
    for (const key of txn.locks) {
      if (this.locks.get(key) === txn) this.locks.delete(key);
      const w = this.waiters.get(key);
      if (w) {
        this.waiters.delete(key);
        for (const f of w) f();
      }
    }
    txn.locks.clear();
  }

  abort(txn: Txn): void {
    if (txn.state !== 'active') return;
    txn.state = 'aborted';
    this.release(txn);
  }

  activeTransactions(): Txn[] {
    const out: Txn[] = [];
    for (const s of this.sessions.values()) if (s.txn?.state === 'active') out.push(s.txn);
    return out;
  }

  private reap(): void {
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      if (s.txn?.state === 'active' && now - s.txn.startedAt > this.txnLifetimeMS) this.abort(s.txn);
      if (now - s.lastUse > this.sessionTimeoutMS && s.txn?.state !== 'active') {
        this.sessions.delete(s.key);
        this.onExpire(s);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const t of this.activeTransactions()) this.abort(t);
  }
}
