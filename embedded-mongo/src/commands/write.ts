// insert, update, delete, findAndModify: each statement applied through the command's Writer;
// per-statement failures reported in writeErrors (ordered stops at the first, unordered goes on).
import { ObjectId, calculateObjectSize, type Document } from 'bson';
import { isPlainObject, nestingDepth, valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError, toServerError } from '../errors.js';
import { project, select } from '../query/exec.js';
import { applyUpdate, buildUpsert, idFirst, updateKind, validateUpdate, type UpdateSpec } from '../query/update.js';
import { MAX_BSON_SIZE } from '../wire/protocol.js';
import type { CommandContext, CommandSpec } from './context.js';
import { nsOf, optBool, optDoc, optNum } from './util.js';
import { checkFields, letVars } from './util.js';
import { assertNotView } from './views.js';

const MAX_DEPTH = 100;
const UPDATE_FIELDS = new Set(['q', 'u', 'c', 'upsert', 'multi', 'arrayFilters', 'hint', 'collation']);
const DELETE_FIELDS = new Set(['q', 'limit', 'hint', 'collation']);

/** Checks a document about to be stored: size, nesting, _id and field names. */
export function checkStorable(doc: Document): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_SIZE) {
    throw new MongoServerError(ErrorCodes.Location10334, `BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB) First element: _id: ${String(doc._id)}`);
  }
  if (nestingDepth(doc, MAX_DEPTH) > MAX_DEPTH) {
    throw new MongoServerError(ErrorCodes.Overflow, `Document exceeds maximum nesting depth of ${MAX_DEPTH}`);
  }
  const id = doc._id;
  if (Array.isArray(id)) throw new MongoServerError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
  if (id instanceof RegExp || (id as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp') {
    throw new MongoServerError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type regex`);
  }
  if (isPlainObject(id)) for (const k of Object.keys(id)) if (k.startsWith('$')) throw new MongoServerError(ErrorCodes.DollarPrefixedFieldName, `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`);
}

/** The document as stored on insert: _id first (generated when missing). */
export function prepareInsert(doc: unknown): Document {
  if (!isPlainObject(doc)) throw new MongoServerError(ErrorCodes.TypeMismatch, 'Invalid document to insert: not an object');
  const out = '_id' in doc ? idFirst(doc) : { _id: new ObjectId(), ...doc };
  checkStorable(out);
  return out;
}

/** A statement's error as a writeErrors entry; in a transaction a transient error fails the command. */
function statementError(ctx: CommandContext, e: unknown) {
  const err = toServerError(e);
  if (ctx.txn && err.errorLabels.length) throw err;
  return err;
}

function writeErrorsReply(reply: Document, errors: Document[]): Document {
  if (errors.length) reply.writeErrors = errors;
  return reply;
}

/**
 * Runs `run` for each statement of a write command in turn. A statement that fails becomes a
 * writeErrors entry; an ordered command, or any inside a transaction, stops at the first.
 */
async function eachStatement<T>(ctx: CommandContext, statements: T[], run: (statement: T, index: number) => Promise<void>): Promise<Document[]> {
  const ordered = optBool(ctx.cmd, 'ordered') ?? true;
  const errors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      await run(statements[i]!, i);
    } catch (e) {
      errors.push(statementError(ctx, e).toWriteError(i));
      if (ordered || ctx.txn) break;
    }
  }
  return errors;
}

/** The statements array of an update/delete command, each statement's fields checked. */
function statementsOf(ctx: CommandContext, command: 'update' | 'delete', field: 'updates' | 'deletes', allowed: Set<string>): unknown[] {
  const stmts = ctx.cmd[field];
  if (!Array.isArray(stmts)) throw new MongoServerError(ErrorCodes.FailedToParse, `BSON field '${command}.${field}' is missing but a required field`);
  for (const s of stmts) if (isPlainObject(s)) checkFields(s, allowed, `${command}.${field}`);
  return stmts;
}

/** A statement of an update/delete command, which must be a document. */
function statementDoc(s: unknown, command: string): Document {
  if (!isPlainObject(s)) throw new MongoServerError(ErrorCodes.TypeMismatch, `${command} statement must be an object`);
  return s;
}

async function insert(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const docs = ctx.cmd.documents;
  if (!Array.isArray(docs)) throw new MongoServerError(ErrorCodes.FailedToParse, "BSON field 'insert.documents' is missing but a required field");
  if (docs.length > 100_000) throw new MongoServerError(ErrorCodes.InvalidOptions, `Write batch sizes must be between 1 and 100000. Got ${docs.length} operations.`);
  let n = 0;
  const errors = await eachStatement(ctx, docs as unknown[], async (raw) => {
    const doc = prepareInsert(raw);
    await ctx.statement(() => ctx.writer.insert(ns, doc));
    n++;
  });
  return writeErrorsReply({ n, ok: 1 }, errors);
}

interface UpdateResult {
  matched: number;
  modified: number;
  upserted?: unknown;
}

function sameDoc(a: Document, b: Document): boolean {
  return a === b || valueKey(a) === valueKey(b);
}

/** One update statement (also the core of findAndModify's update). */
function runUpdate(ctx: CommandContext, ns: string, q: Document, u: UpdateSpec, opts: { multi: boolean; upsert: boolean; arrayFilters?: Document[]; sort?: Document; variables?: Document; collation?: Document }, onDoc?: (before: Document | null, after: Document) => void): UpdateResult {
  const w = ctx.writer;
  const kind = updateKind(u);
  if (opts.multi && kind === 'replace') throw new MongoServerError(ErrorCodes.FailedToParse, 'multi update is not supported for replacement-style update');
  const matches = [...select(w.coll(ns), q, { overlay: w.overlay(ns), limit: opts.multi ? 0 : 1, sort: opts.sort, variables: opts.variables, collation: opts.collation }).docs];
  w.precheck(ns, matches);
  let modified = 0;
  for (const doc of matches) {
    const after = applyUpdate(doc, u, { arrayFilters: opts.arrayFilters, filter: q, variables: opts.variables });
    if (!sameDoc(doc, after)) {
      checkStorable(after);
      w.update(ns, doc, after, kind === 'replace' ? 'replace' : 'update');
      modified++;
    }
    onDoc?.(doc, after);
  }
  if (matches.length === 0 && opts.upsert) {
    const doc = buildUpsert(q, u, { arrayFilters: opts.arrayFilters, variables: opts.variables });
    checkStorable(doc);
    w.insert(ns, doc);
    onDoc?.(null, doc);
    return { matched: 0, modified: 0, upserted: doc._id };
  }
  return { matched: matches.length, modified };
}

async function update(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const stmts = statementsOf(ctx, 'update', 'updates', UPDATE_FIELDS);
  const variables = letVars(ctx.cmd);
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  const errors = await eachStatement(ctx, stmts, async (raw, i) => {
    const s = statementDoc(raw, 'update');
    const q = optDoc(s, 'q') ?? {};
    const u = validateUpdate(s.u);
    const r = await ctx.statement(() =>
      runUpdate(ctx, ns, q, u, {
        multi: optBool(s, 'multi') ?? false,
        upsert: optBool(s, 'upsert') ?? false,
        arrayFilters: s.arrayFilters as Document[] | undefined,
        variables,
        collation: optDoc(s, 'collation'),
      }),
    );
    if (r.upserted !== undefined) {
      upserted.push({ index: i, _id: r.upserted });
      n += 1;
    } else {
      n += r.matched;
      nModified += r.modified;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  reply.ok = 1;
  return writeErrorsReply(reply, errors);
}

async function del(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const stmts = statementsOf(ctx, 'delete', 'deletes', DELETE_FIELDS);
  const variables = letVars(ctx.cmd);
  let n = 0;
  const errors = await eachStatement(ctx, stmts, async (raw) => {
    const s = statementDoc(raw, 'delete');
    const q = optDoc(s, 'q') ?? {};
    const limit = optNum(s, 'limit') ?? 0;
    if (limit !== 0 && limit !== 1) throw new MongoServerError(ErrorCodes.FailedToParse, `The limit field in delete objects must be 0 or 1. Got ${limit}`);
    n += await ctx.statement(() => {
      const w = ctx.writer;
      const docs = [...select(w.coll(ns), q, { overlay: w.overlay(ns), limit, variables, collation: optDoc(s, 'collation') }).docs];
      w.precheck(ns, docs);
      for (const d of docs) w.delete(ns, d);
      return docs.length;
    });
  });
  return writeErrorsReply({ n, ok: 1 }, errors);
}

async function findAndModify(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const cmd = ctx.cmd;
  const query = optDoc(cmd, 'query') ?? {};
  const sort = optDoc(cmd, 'sort');
  const fields = optDoc(cmd, 'fields');
  const remove = optBool(cmd, 'remove') ?? false;
  const returnNew = optBool(cmd, 'new') ?? false;
  const upsert = optBool(cmd, 'upsert') ?? false;
  const variables = letVars(cmd);
  const collation = optDoc(cmd, 'collation');
  if (remove && cmd.update !== undefined) throw new MongoServerError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (!remove && cmd.update === undefined) throw new MongoServerError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (remove && (upsert || returnNew)) throw new MongoServerError(ErrorCodes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  const shape = (d: Document | null) => (d && fields ? (project([d], fields, query)[0] ?? null) : d);
  return ctx.statement(() => {
    const w = ctx.writer;
    if (remove) {
      const doc = [...select(w.coll(ns), query, { overlay: w.overlay(ns), sort, limit: 1, variables, collation }).docs][0];
      if (doc) w.delete(ns, doc);
      return { lastErrorObject: { n: doc ? 1 : 0 }, value: shape(doc ?? null), ok: 1 };
    }
    const u = validateUpdate(cmd.update);
    let before: Document | null = null;
    let after: Document | null = null;
    const r = runUpdate(ctx, ns, query, u, { multi: false, upsert, sort, arrayFilters: cmd.arrayFilters as Document[] | undefined, variables, collation }, (b, a) => {
      before = b;
      after = a;
    });
    const leo: Document = { n: r.upserted !== undefined || r.matched ? 1 : 0, updatedExisting: r.matched > 0 };
    if (r.upserted !== undefined) leo.upserted = r.upserted;
    return { lastErrorObject: leo, value: shape(returnNew ? after : before), ok: 1 };
  });
}

export const writeCommands: Record<string, CommandSpec> = {
  insert: { handler: insert, inTxn: true },
  update: { handler: update, inTxn: true },
  delete: { handler: del, inTxn: true },
  findAndModify: { handler: findAndModify, inTxn: true },
  findandmodify: { handler: findAndModify, inTxn: true },
};
