// Databases and collections: listCollections, create, drop, dropDatabase, listDatabases,
// renameCollection, collMod, collStats, dbStats.
import { calculateObjectSize, type Document } from 'bson';
import { IterSource } from '../cursors/CursorSource.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { compileFilter } from '../query/matcher.js';
import { validateNs } from '../storage/Engine.js';
import type { Collection } from '../storage/Collection.js';
import type { CommandContext, CommandSpec } from './context.js';
import { nsOf, optBool, optDoc, optNum, unitOf } from './util.js';
import { firstBatch } from './util.js';

function collInfo(c: Collection, nameOnly: boolean): Document {
  const view = typeof c.options.viewOn === 'string';
  if (nameOnly) return { name: c.name, type: view ? 'view' : 'collection' };
  if (view) return { name: c.name, type: 'view', options: { ...c.options }, info: { readOnly: true } };
  return {
    name: c.name,
    type: 'collection',
    options: { ...c.options },
    info: { readOnly: false, uuid: c.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

function listCollections(ctx: CommandContext): Document {
  const filter = optDoc(ctx.cmd, 'filter');
  const nameOnly = optBool(ctx.cmd, 'nameOnly') ?? false;
  const m = compileFilter(filter);
  const infos = ctx.state.engine
    .collections(ctx.db)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => collInfo(c, false))
    .filter((i) => m.test(i))
    .map((i) => (nameOnly ? { name: i.name, type: i.type } : i));
  const batchSize = optNum(optDoc(ctx.cmd, 'cursor') ?? {}, 'batchSize');
  return firstBatch(ctx, `${ctx.db}.$cmd.listCollections`, new IterSource(infos), batchSize ?? 101);
}

const CREATE_OPTIONS = new Set(['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation', 'changeStreamPreAndPostImages', 'clusteredIndex', 'expireAfterSeconds', 'timeseries', 'storageEngine', 'indexOptionDefaults', 'viewOn', 'pipeline', 'autoIndexId', 'idIndex']);

async function create(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  validateNs(ns);
  const options: Document = {};
  for (const [k, v] of Object.entries(ctx.cmd)) if (CREATE_OPTIONS.has(k)) options[k] = v;
  if (options.viewOn !== undefined) {
    if (typeof options.viewOn !== 'string' || !options.viewOn) throw new MongoServerError(ErrorCodes.TypeMismatch, "'viewOn' must be a non-empty string");
    if (options.pipeline !== undefined && !Array.isArray(options.pipeline)) throw new MongoServerError(ErrorCodes.TypeMismatch, "'pipeline' must be an array");
    options.pipeline ??= [];
  }
  if (ctx.txn) {
    if (ctx.writer.coll(ns) || ctx.txn.createdNs.has(ns)) throw new MongoServerError(ErrorCodes.NamespaceExists, `Collection ${ns} already exists.`);
    ctx.writer.coll(ns, true);
    return { ok: 1 };
  }
  const engine = ctx.state.engine;
  if (engine.coll(ns)) {
    throw new MongoServerError(ErrorCodes.NamespaceExists, `Collection ${ns} already exists.`);
  }
  engine.createCollection(unitOf(ctx), ns, options);
  return { ok: 1 };
}

async function drop(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  const c = ctx.state.engine.coll(ns);
  const unit = unitOf(ctx);
  if (!c) return { ok: 1 };
  await ctx.statement(() => {
    ctx.writer.precheck(ns, [...c.byId.values()].map((r) => r.doc));
    ctx.state.engine.dropCollection(unit, ns);
  });
  return { nIndexesWas: c.indexes.length, ns, ok: 1 };
}

async function dropDatabase(ctx: CommandContext): Promise<Document> {
  const unit = unitOf(ctx);
  await ctx.statement(() => {
    for (const c of ctx.state.engine.collections(ctx.db)) ctx.writer.precheck(c.ns, [...c.byId.values()].map((r) => r.doc));
    ctx.state.engine.dropDatabase(unit, ctx.db);
  });
  return { dropped: ctx.db, ok: 1 };
}

function dataSize(c: Collection): number {
  let n = 0;
  for (const r of c.byId.values()) n += calculateObjectSize(r.doc);
  return n;
}

function listDatabases(ctx: CommandContext): Document {
  const nameOnly = optBool(ctx.cmd, 'nameOnly') ?? false;
  const m = compileFilter(optDoc(ctx.cmd, 'filter'));
  const engine = ctx.state.engine;
  let total = 0;
  const dbs = engine
    .dbNames()
    .map((name) => {
      const size = engine.collections(name).reduce((n, c) => n + dataSize(c), 0);
      total += size;
      return nameOnly ? { name } : { name, sizeOnDisk: size, empty: size === 0 };
    })
    .filter((d) => m.test(d));
  return nameOnly ? { databases: dbs, ok: 1 } : { databases: dbs, totalSize: total, totalSizeMb: Math.floor(total / 1048576), ok: 1 };
}

async function renameCollection(ctx: CommandContext): Promise<Document> {
  if (ctx.db !== 'admin') throw new MongoServerError(ErrorCodes.Unauthorized, 'renameCollection may only be run against the admin database.');
  const from = ctx.cmd.renameCollection;
  const to = ctx.cmd.to;
  if (typeof from !== 'string' || typeof to !== 'string') throw new MongoServerError(ErrorCodes.TypeMismatch, "'renameCollection' and 'to' must be strings");
  const engine = ctx.state.engine;
  const unit = unitOf(ctx);
  validateNs(to);
  if (!engine.coll(from)) throw new MongoServerError(ErrorCodes.NamespaceNotFound, 'source namespace does not exist');
  if (from === to) throw new MongoServerError(ErrorCodes.IllegalOperation, "Can't rename a collection to itself");
  const dropTarget = optBool(ctx.cmd, 'dropTarget') ?? false;
  if (engine.coll(to)) {
    if (!dropTarget) throw new MongoServerError(ErrorCodes.NamespaceExists, 'target namespace exists');
    engine.dropCollection(unit, to);
  }
  engine.renameCollection(unit, from, to, dropTarget);
  return { ok: 1 };
}

async function collMod(ctx: CommandContext): Promise<Document> {
  const ns = nsOf(ctx);
  const c = ctx.state.engine.coll(ns);
  if (!c) throw new MongoServerError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ns}`);
  unitOf(ctx);
  const index = optDoc(ctx.cmd, 'index');
  const reply: Document = {};
  if (index) {
    const ix = c.indexes.find((i) => (index.name && i.name === index.name) || (index.keyPattern && JSON.stringify(i.spec.key) === JSON.stringify(index.keyPattern)));
    if (!ix) throw new MongoServerError(ErrorCodes.IndexNotFound, `cannot find index ${JSON.stringify(index)} for ns ${ns}`);
    if (index.expireAfterSeconds !== undefined) {
      reply.expireAfterSeconds_old = ix.spec.expireAfterSeconds;
      ix.spec.expireAfterSeconds = Number(index.expireAfterSeconds);
      reply.expireAfterSeconds_new = ix.spec.expireAfterSeconds;
      unitOf(ctx).ops.push({ o: 'ci', ns, spec: ix.spec });
    }
  }
  const options = { ...c.options };
  const description: Document = {};
  for (const k of ['validator', 'validationLevel', 'validationAction', 'changeStreamPreAndPostImages', 'expireAfterSeconds']) {
    if (ctx.cmd[k] !== undefined) options[k] = description[k] = ctx.cmd[k];
  }
  if (index) description.index = index;
  ctx.state.engine.modifyCollection(unitOf(ctx), c, options, description);
  reply.ok = 1;
  return reply;
}

function collStats(ctx: CommandContext): Document {
  const ns = nsOf(ctx);
  const c = ctx.state.engine.coll(ns);
  if (!c) throw new MongoServerError(ErrorCodes.NamespaceNotFound, `Collection [${ns}] not found.`);
  const size = dataSize(c);
  const indexSizes: Document = {};
  for (const ix of c.indexes) indexSizes[ix.name] = ix.size * 32;
  return {
    ns,
    size,
    count: c.count,
    avgObjSize: c.count ? Math.floor(size / c.count) : 0,
    storageSize: size,
    nindexes: c.indexes.length,
    totalIndexSize: Object.values(indexSizes).reduce((a: number, b) => a + (b as number), 0),
    indexSizes,
    capped: false,
    ok: 1,
  };
}

function dbStats(ctx: CommandContext): Document {
  const colls = ctx.state.engine.collections(ctx.db);
  const size = colls.reduce((n, c) => n + dataSize(c), 0);
  const objects = colls.reduce((n, c) => n + c.count, 0);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes: colls.reduce((n, c) => n + c.indexes.length, 0),
    indexSize: colls.reduce((n, c) => n + c.indexes.reduce((m, i) => m + i.size * 32, 0), 0),
    totalSize: size,
    scaleFactor: 1,
    ok: 1,
  };
}

export const catalogCommands: Record<string, CommandSpec> = {
  listCollections: { handler: listCollections },
  create: { handler: create, inTxn: true },
  drop: { handler: drop },
  dropDatabase: { handler: dropDatabase },
  listDatabases: { handler: listDatabases },
  renameCollection: { handler: renameCollection },
  collMod: { handler: collMod },
  collStats: { handler: collStats },
  dbStats: { handler: dbStats },
};
