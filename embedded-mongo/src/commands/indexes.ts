// createIndexes, listIndexes, dropIndexes.
import type { Document } from 'bson';
import { isPlainObject } from '../bson/values.js';
import { IterSource } from '../cursors/CursorSource.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import type { IndexSpec } from '../storage/SortedIndex.js';
import type { CommandContext, CommandSpec } from './context.js';
import { assertNotView } from './views.js';
import { nsOf, optDoc, optNum, unitOf } from './util.js';
import { firstBatch } from './util.js';

const KNOWN_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'v', 'background', 'collation', 'hidden', 'weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'wildcardProjection', 'ns', 'storageEngine']);

export function defaultIndexName(key: Document): string {
  return Object.keys(key)
    .map((k) => `${k}_${String(key[k])}`)
    .join('_');
}

function normalizeSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw new MongoServerError(ErrorCodes.TypeMismatch, 'index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) throw new MongoServerError(ErrorCodes.FailedToParse, "The 'key' field is a required property of an index specification");
  for (const [f, v] of Object.entries(key)) {
    if (typeof v === 'string') {
      if (!['text', '2dsphere', '2d', 'hashed'].includes(v)) throw new MongoServerError(ErrorCodes.CannotCreateIndex, `Unknown index plugin '${v}'`);
    } else if (typeof v !== 'number' && !(v as { _bsontype?: string })?._bsontype) {
      throw new MongoServerError(ErrorCodes.CannotCreateIndex, `Values in the index key pattern can only be numbers or strings, found ${f}: ${JSON.stringify(v)}`);
    } else if (Number(v) === 0) {
      throw new MongoServerError(ErrorCodes.CannotCreateIndex, `Values in the index key pattern must be positive or negative numbers; found ${f}: 0`);
    }
  }
  const name = typeof raw.name === 'string' ? raw.name : defaultIndexName(key);
  for (const k of Object.keys(raw)) {
    if (!KNOWN_OPTIONS.has(k)) throw new MongoServerError(ErrorCodes.InvalidIndexSpecificationOption, `The field '${k}' is not valid for an index specification. Specification: ${JSON.stringify(raw)}`);
  }
  const spec: IndexSpec = { v: 2, key: { ...key }, name };
  if (raw.unique) spec.unique = true;
  if (raw.sparse) spec.sparse = true;
  if (raw.expireAfterSeconds !== undefined) {
    const e = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(e) || e < 0) throw new MongoServerError(ErrorCodes.CannotCreateIndex, 'TTL index \'expireAfterSeconds\' option must be within an acceptable range');
    spec.expireAfterSeconds = e;
  }
  if (raw.partialFilterExpression !== undefined) spec.partialFilterExpression = raw.partialFilterExpression as Document;
  if (raw.collation !== undefined) spec.collation = raw.collation;
  if (raw.hidden !== undefined) spec.hidden = raw.hidden;
  return spec;
}

function sameSpec(a: IndexSpec, b: IndexSpec): boolean {
  const norm = (s: IndexSpec) => JSON.stringify([s.key, !!s.unique, !!s.sparse, s.expireAfterSeconds ?? null, s.partialFilterExpression ?? null]);
  return norm(a) === norm(b);
}

async function createIndexes(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const raw = ctx.cmd.indexes;
  if (!Array.isArray(raw) || raw.length === 0) throw new MongoServerError(ErrorCodes.TypeMismatch, "BSON field 'createIndexes.indexes' must be a non-empty array");
  const specs = raw.map(normalizeSpec);
  return ctx.statement(() => {
    const existed = !!ctx.state.engine.coll(ns);
    if (ctx.txn && existed) {
      throw new MongoServerError(ErrorCodes.OperationNotSupportedInTransaction, 'Cannot create new indexes on existing collection inside a multi-document transaction');
    }
    const unit = unitOf(ctx);
    const engine = ctx.state.engine;
    const c = engine.coll(ns) ?? engine.createCollection(unit, ns);
    const before = c.indexes.length;
    let created = 0;
    for (const spec of specs) {
      const byName = c.getIndex(spec.name);
      const byKey = c.indexes.find((i) => JSON.stringify(i.spec.key) === JSON.stringify(spec.key) && JSON.stringify(i.spec.collation ?? null) === JSON.stringify(spec.collation ?? null));
      if (byName) {
        if (sameSpec(byName.spec, spec)) continue;
        if (JSON.stringify(byName.spec.key) !== JSON.stringify(spec.key)) {
          throw new MongoServerError(ErrorCodes.IndexKeySpecsConflict, `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`);
        }
        throw new MongoServerError(ErrorCodes.IndexOptionsConflict, `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`);
      }
      if (byKey) {
        if (sameSpec(byKey.spec, spec)) continue;
        throw new MongoServerError(ErrorCodes.IndexOptionsConflict, `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byKey.spec)}`);
      }
      engine.createIndex(unit, c, spec);
      created++;
    }
    const reply: Document = { numIndexesBefore: before, numIndexesAfter: c.indexes.length, createdCollectionAutomatically: !existed };
    if (!created) reply.note = 'all indexes already exist';
    reply.ok = 1;
    return reply;
  });
}

function listIndexes(ctx: CommandContext): Document {
  const ns = nsOf(ctx);
  assertNotView(ctx, ns);
  const c = ctx.state.engine.coll(ns);
  if (!c) throw new MongoServerError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ns}`);
  const specs = c.indexes.map((i) => ({ ...i.spec, v: i.spec.v ?? 2 }));
  const batchSize = optNum(optDoc(ctx.cmd, 'cursor') ?? {}, 'batchSize');
  return firstBatch(ctx, ns, new IterSource(specs), batchSize ?? 101);
}

async function dropIndexes(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  const engine = ctx.state.engine;
  const c = engine.coll(ns);
  if (!c) throw new MongoServerError(ErrorCodes.NamespaceNotFound, `ns not found ${ns}`);
  const unit = unitOf(ctx);
  const before = c.indexes.length;
  const which = ctx.cmd.index ?? ctx.cmd.indexes;
  let names: string[];
  if (which === '*') names = c.indexes.filter((i) => i.name !== '_id_').map((i) => i.name);
  else if (typeof which === 'string') names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainObject(which)) {
    const ix = c.indexes.find((i) => JSON.stringify(i.spec.key) === JSON.stringify(which));
    if (!ix) throw new MongoServerError(ErrorCodes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
    names = [ix.name];
  } else throw new MongoServerError(ErrorCodes.TypeMismatch, "BSON field 'dropIndexes.index' is missing or has the wrong type");
  for (const n of names) {
    if (n === '_id_') throw new MongoServerError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!c.getIndex(n)) throw new MongoServerError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) engine.dropIndex(unit, c, n);
  return { nIndexesWas: before, ok: 1 };
}

export const indexCommands: Record<string, CommandSpec> = {
  createIndexes: { handler: createIndexes, inTxn: true },
  listIndexes: { handler: listIndexes },
  dropIndexes: { handler: dropIndexes },
  deleteIndexes: { handler: dropIndexes },
};
