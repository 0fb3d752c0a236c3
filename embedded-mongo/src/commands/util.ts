// Small argument readers shared by command handlers, with MongoDB's error codes for bad input.
import { Long, type Document } from 'bson';
import type { IterSource } from '../cursors/CursorSource.js';
import { isPlainObject, toNumber } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import type { Unit } from '../storage/Engine.js';
import { evalLet } from '../query/mingoContext.js';
import type { CommandContext } from './context.js';

export function collName(ctx: CommandContext, field = ctx.name): string {
  const v = ctx.cmd[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw new MongoServerError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeOfArg(v)}`);
  }
  return v;
}

export function nsOf(ctx: CommandContext, field = ctx.name): string {
  return ctx.db + '.' + collName(ctx, field);
}

export function typeOfArg(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as { _bsontype?: string })._bsontype?.toLowerCase() ?? 'object';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'double') : typeof v;
}

export function optDoc(cmd: Document, field: string): Document | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) {
    throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field '${field}' is the wrong type '${typeOfArg(v)}', expected type 'object'`);
  }
  return v;
}

export function optNum(cmd: Document, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = toNumber(v);
  if (Number.isNaN(n) || typeof v === 'string' || typeof v === 'boolean') {
    throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field '${field}' is the wrong type '${typeOfArg(v)}', expected types '[long, int, decimal, double]'`);
  }
  return n;
}

export function optBool(cmd: Document, field: string): boolean | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field '${field}' is the wrong type '${typeOfArg(v)}', expected type 'bool'`);
}

export function cursorReply(id: unknown, ns: string, batch: Document[], first: boolean, extra: Document = {}): Document {
  return { cursor: { [first ? 'firstBatch' : 'nextBatch']: batch, id, ns, ...extra }, ok: 1 };
}

/** The Unit of a command outside a transaction (catalog commands cannot run inside one). */
export function unitOf(ctx: CommandContext): Unit {
  const unit = (ctx.writer as { unit?: Unit }).unit;
  if (!unit || ctx.txn) {
    throw new MongoServerError(ErrorCodes.OperationNotSupportedInTransaction, `Cannot run '${ctx.name}' in a multi-document transaction.`);
  }
  return unit;
}

/** The command's `let` variables, evaluated. */
export function letVars(cmd: Document): Document | undefined {
  return evalLet(optDoc(cmd, 'let'));
}

/** Rejects fields a statement does not know, as MongoDB 7.0 does (e.g. `sort` in an update). */
export function checkFields(doc: Document, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(doc)) {
    if (!allowed.has(k)) throw new MongoServerError(40415, `BSON field '${where}.${k}' is an unknown field.`);
  }
}

const ZERO = Long.fromNumber(0);

/** Opens a cursor over `source` and returns the first batch reply (id 0 when exhausted). */
export function firstBatch(ctx: CommandContext, ns: string, source: IterSource, batchSize: number | undefined, singleBatch = false): Document {
  // batchSize 0 on the first batch means "open the cursor, return nothing yet".
  const batch = batchSize === 0 ? [] : source.nextBatchSync(batchSize ?? 101);
  if (source.isExhausted() || (singleBatch && batchSize !== 0)) {
    source.close();
    return cursorReply(ZERO, ns, batch, true);
  }
  const c = ctx.state.cursors.open(ns, source, { lsid: ctx.session?.key });
  return cursorReply(c.id, ns, batch, true);
}

