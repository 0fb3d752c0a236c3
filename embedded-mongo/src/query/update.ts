// Applying an update document to one document: operator updates through mingo's updater,
// replacement documents, and aggregation-pipeline updates; plus building the document an upsert
// inserts. The stored document is never mutated: a new one is returned.
import { ObjectId, type Document } from 'bson';

import { updateOne } from 'mingo/updater';
import { forMingo, restoreTypes } from '../bson/numeric.js';
import { deepCopy, isPlainObject, valueKey } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { Aggregator, queryOptions } from './mingoContext.js';

export type UpdateSpec = Document | Document[];

export function updateKind(u: UpdateSpec): 'pipeline' | 'operator' | 'replace' {
  if (Array.isArray(u)) return 'pipeline';
  const keys = Object.keys(u);
  if (keys.length && keys[0]!.startsWith('$')) return 'operator';
  return 'replace';
}

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    for (const st of u) {
      const k = isPlainObject(st) ? Object.keys(st)[0] : undefined;
      if (!k || !PIPELINE_STAGES.has(k)) {
        throw new MongoServerError(ErrorCodes.InvalidOptions, `${k ?? 'stage'} is not allowed to be used within an update`);
      }
    }
    return u as Document[];
  }
  if (!isPlainObject(u)) throw new MongoServerError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length && ops.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    throw new MongoServerError(ErrorCodes.FailedToParse, `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  for (const op of ops) {
    if (!KNOWN_OPS.has(op)) {
      throw new MongoServerError(ErrorCodes.FailedToParse, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(u[op])) {
      throw new MongoServerError(ErrorCodes.FailedToParse, `Modifiers operate on fields but we found type ${Array.isArray(u[op]) ? 'array' : typeof u[op]} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(u[op])}}`);
    }
  }
  return u;
}

const KNOWN_OPS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit', '$currentDate', '$setOnInsert']);

export interface ApplyOptions {
  arrayFilters?: Document[];
  filter?: Document;
  /** This update builds an upserted document ($setOnInsert applies). */
  inserting?: boolean;
  variables?: Document;
}

function mingoError(e: unknown): MongoServerError {
  if (e instanceof MongoServerError) return e;
  const msg = (e as Error).message.replace(/^mingo: /, '');
  if (/immutable field/.test(msg)) return new MongoServerError(ErrorCodes.ImmutableField, msg);
  if (/conflict/.test(msg)) return new MongoServerError(ErrorCodes.ConflictingUpdateOperators, msg);
  if (/array field for '\.\$'/.test(msg)) return new MongoServerError(2, 'The positional operator did not find the match needed from the query.');
  return new MongoServerError(ErrorCodes.BadValue, msg);
}

/** The document after applying `u` to `doc` (returns `doc` itself when nothing changed). */
export function applyUpdate(stored: Document, u: UpdateSpec, opts: ApplyOptions = {}): Document {
  // mingo computes on numbers: run on the numeric view, then restore Long / Decimal128 types.
  const doc = forMingo(stored);
  if (doc === stored) return applyUpdateView(doc, u, opts);
  const out = applyUpdateView(doc, u, opts);
  return out === doc ? stored : (restoreTypes(stored, out) as Document);
}

const ARITHMETIC = ['$inc', '$mul', '$min', '$max'];

function applyUpdateView(doc: Document, u: UpdateSpec, opts: ApplyOptions): Document {
  const kind = updateKind(u);
  if (kind === 'operator' && ARITHMETIC.some((op) => op in (u as Document))) {
    const copy: Document = { ...(u as Document) };
    for (const op of ARITHMETIC) if (copy[op]) copy[op] = forMingo(copy[op]);
    u = copy;
  }
  let out: Document;
  if (kind === 'replace') {
    const rep = u as Document;
    if ('_id' in rep && valueKey(rep._id) !== valueKey(doc._id)) {
      throw new MongoServerError(ErrorCodes.ImmutableField, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(rep._id)}`);
    }
    out = { _id: doc._id, ...deepCopy(rep) };
  } else if (kind === 'pipeline') {
    try {
      const res = new Aggregator(u as Document[], queryOptions(opts.variables)).run([deepCopy(doc)]);
      out = res[0] as Document;
    } catch (e) {
      throw mingoError(e);
    }
    // A pipeline that drops _id keeps the original one.
    if (out && out._id === undefined) out = { _id: doc._id, ...out };
    if (!out || valueKey(out._id) !== valueKey(doc._id)) {
      throw new MongoServerError(ErrorCodes.ImmutableField, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(out?._id)}`);
    }
  } else {
    const mod: Document = { ...(u as Document) };
    const soi = mod.$setOnInsert as Document | undefined;
    delete mod.$setOnInsert;
    if (opts.inserting && soi) mod.$set = { ...(mod.$set as Document | undefined), ...soi };
    // $set of _id to its current value is allowed by MongoDB (and the upsert's _id is already in place).
    if (isPlainObject(mod.$set) && '_id' in mod.$set) {
      const { _id, ...rest } = mod.$set;
      if (valueKey(_id) !== valueKey(doc._id)) {
        throw new MongoServerError(ErrorCodes.ImmutableField, `Performing an update on the path '_id' would modify the immutable field '_id'`);
      }
      mod.$set = rest;
    }
    for (const k of Object.keys(mod)) if (isPlainObject(mod[k]) && Object.keys(mod[k]).length === 0) delete mod[k];
    if (Object.keys(mod).length === 0) return doc;
    const copy = deepCopy(doc);
    const docs = [copy];
    const positional = JSON.stringify(Object.keys(mod).map((k) => Object.keys(mod[k]))).includes('.$');
    try {
      const res = updateOne(docs, positional && opts.filter ? opts.filter : {}, mod as never, { arrayFilters: opts.arrayFilters, cloneMode: 'deep' }, queryOptions(opts.variables));
      if (!res.modifiedCount) return doc;
    } catch (e) {
      throw mingoError(e);
    }
    out = docs[0]!;
  }
  return idFirst(out);
}

export function idFirst(doc: Document): Document {
  const keys = Object.keys(doc);
  if (keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Document = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

/** Equality fields of a filter, as the starting document of an upsert. */
export function upsertBase(filter: Document): Document {
  const out: Document = {};
  const visit = (f: Document) => {
    for (const k of Object.keys(f)) {
      const v = f[k];
      if (k === '$and' && Array.isArray(v)) {
        for (const s of v) if (isPlainObject(s)) visit(s);
        continue;
      }
      if (k.startsWith('$')) continue;
      let val: unknown = v;
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if (!('$eq' in v)) continue;
        val = v.$eq;
      }
      if (val instanceof RegExp) continue;
      setPath(out, k, deepCopy(val));
    }
  };
  visit(filter);
  return out;
}

function setPath(doc: Document, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Document;
  }
  cur[parts[parts.length - 1]!] = v;
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsert(filter: Document, u: UpdateSpec, opts: ApplyOptions): Document {
  const kind = updateKind(u);
  let base: Document;
  if (kind === 'replace') {
    const rep = deepCopy(u as Document);
    const fromFilter = upsertBase(filter);
    base = '_id' in rep ? rep : '_id' in fromFilter ? { _id: fromFilter._id, ...rep } : rep;
  } else {
    base = upsertBase(filter);
    const setId = (u as Document).$set?._id ?? (u as Document).$setOnInsert?._id;
    if (!('_id' in base) && setId !== undefined && kind === 'operator') base._id = setId;
  }
  if (!('_id' in base)) base = { _id: new ObjectId(), ...base };
  base = idFirst(base);
  if (kind === 'replace') return base;
  return applyUpdate(base, u, { ...opts, inserting: true });
}
