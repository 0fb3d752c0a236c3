// Open cursors by id (int64). Idle cursors are closed after `idleTimeoutMS` (10 minutes default).
import { Long, type Document } from 'bson';
import { ErrorCodes, MongoServerError } from '../errors.js';
import type { CursorSource } from './CursorSource.js';

export interface Cursor {
  id: Long;
  ns: string;
  source: CursorSource;
  lastUsed: number;
  /** Session that opened it (a cursor opened in a session belongs to that session). */
  lsid?: string;
  /** Set while a getMore runs: a second concurrent getMore is rejected. */
  busy: boolean;
  batchSize?: number;
  comment?: unknown;
}

export class CursorRegistry {
  private cursors = new Map<string, Cursor>();
  private timer: NodeJS.Timeout;

  constructor(private idleTimeoutMS = 10 * 60 * 1000) {
    this.timer = setInterval(() => this.reap(), Math.min(60_000, Math.max(100, idleTimeoutMS / 4)));
    this.timer.unref();
  }

  private newId(): Long {
    // Positive, random, never 0.
    while (true) {
      const hi = (Math.random() * 0x7fffffff) | 0;
      const lo = (Math.random() * 0xffffffff) | 0;
      const id = Long.fromBits(lo, hi);
      if (!id.isZero() && !this.cursors.has(id.toString())) return id;
    }
  }

  open(ns: string, source: CursorSource, extra: Partial<Cursor> = {}): Cursor {
    const c: Cursor = { id: this.newId(), ns, source, lastUsed: Date.now(), busy: false, ...extra };
    this.cursors.set(c.id.toString(), c);
    return c;
  }

  get(id: unknown, ns: string): Cursor {
    const key = typeof id === 'number' || typeof id === 'bigint' ? String(id) : String(id as Long);
    const c = this.cursors.get(key);
    if (!c) throw new MongoServerError(ErrorCodes.CursorNotFound, `cursor id ${key} not found`);
    if (c.ns !== ns) {
      throw new MongoServerError(ErrorCodes.Unauthorized ?? 13, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
    }
    return c;
  }

  kill(id: unknown): boolean {
    const key = String(id as Long);
    const c = this.cursors.get(key);
    if (!c) return false;
    this.cursors.delete(key);
    c.source.close();
    return true;
  }

  remove(c: Cursor): void {
    this.cursors.delete(c.id.toString());
    c.source.close();
  }

  killSession(lsid: string): void {
    for (const c of [...this.cursors.values()]) if (c.lsid === lsid) this.remove(c);
  }

  get size(): number {
    return this.cursors.size;
  }

  private reap(): void {
    const cutoff = Date.now() - this.idleTimeoutMS;
    for (const c of [...this.cursors.values()]) if (!c.busy && c.lastUsed < cutoff) this.remove(c);
  }

  close(): void {
    clearInterval(this.timer);
    for (const c of [...this.cursors.values()]) this.remove(c);
  }

  stats(): Document {
    return { open: { total: this.cursors.size } };
  }
}
