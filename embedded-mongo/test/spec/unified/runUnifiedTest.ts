import { MongoClient, type Document } from 'mongodb';
import { EntityMap } from './EntityMap.js';
import { matchValue, sameValue } from './matchValue.js';
import { checkError } from './checkError.js';
import { handlerFor, RunnerTimeout, type SpecOperation, type FailPointLog } from './operations.js';
import type { RunOnRequirement } from './applicability.js';

export interface CollectionData { collectionName: string; databaseName: string; documents: Document[]; createOptions?: Document }

export interface SpecTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: SpecOperation[];
  expectEvents?: Array<{ client: string; eventType?: string; ignoreExtraEvents?: boolean; events: Array<Record<string, Record<string, any>>> }>;
  outcome?: CollectionData[];
}

export interface SpecFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: Array<Record<string, Record<string, any>>>;
  initialData?: CollectionData[];
  tests: SpecTest[];
}

export interface RunEnv { uri: string; internal: MongoClient }

/** Operations whose results are iterables of root-level documents (extra fields allowed per element). */
const ROOT_ARRAY_OPS = new Set(['find', 'aggregate', 'listCollections', 'listDatabases', 'listIndexes', 'runCursorCommand']);

/** Runs one applicable test; throws (with what differed) when the server's behaviour does not match. */
export async function runUnifiedTest(file: SpecFile, test: SpecTest, env: RunEnv): Promise<void> {
  const entities = new EntityMap(env.uri);
  const failPoints: FailPointLog = [];
  try {
    await loadInitialData(env.internal, file.initialData ?? []);
    for (const e of file.createEntities ?? []) await entities.create(e);
    const runOperations = async (ops: SpecOperation[], propagate = false): Promise<void> => {
      for (const op of ops) await runOperation(op, entities, failPoints, propagate, (inner) => runOperations(inner, true));
    };
    await runOperations(test.operations);
    for (const expected of test.expectEvents ?? []) checkEvents(expected, entities);
    for (const expected of test.outcome ?? []) await checkOutcome(env.internal, expected);
  } finally {
    for (const fp of failPoints) await fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }).catch(() => undefined);
    await entities.close();
  }
}

async function runOperation(op: SpecOperation, entities: EntityMap, failPoints: FailPointLog, propagate: boolean, runNested: (ops: SpecOperation[]) => Promise<void>): Promise<void> {
  const target = op.object === 'testRunner' ? 'testRunner' : entities.get(op.object);
  const handler = handlerFor(op.name, target);
  let result: unknown;
  let error: unknown;
  let threw = false;
  try {
    result = await handler(target, op.arguments ?? {}, { entities, runOperations: runNested, failPoints });
  } catch (e) {
    threw = true;
    error = e;
  }
  const label = `${op.object}.${op.name}`;
  if (op.ignoreResultAndError) {
    if (threw && propagate) throw error;
    return;
  }
  if (error instanceof RunnerTimeout) throw error;
  if (op.expectError) {
    if (!threw) throw new Error(`${label}: expected an error, got result ${safe(result)}`);
    try {
      checkError(op.expectError, error, entities);
    } catch (assertion) {
      throw new Error(`${label}: ${(assertion as Error).message}`);
    }
    if (propagate) throw error;
    return;
  }
  if (threw) throw new Error(`${label}: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  if (op.expectResult !== undefined) {
    try {
      if (Array.isArray(op.expectResult) && ROOT_ARRAY_OPS.has(op.name)) {
        if (!Array.isArray(result) || result.length !== op.expectResult.length)
          throw new Error(`expected ${op.expectResult.length} documents, got ${safe(result)}`);
        op.expectResult.forEach((e, i) => matchValue(e, (result as unknown[])[i], entities, true, `[${i}]`));
      } else {
        matchValue(op.expectResult, result, entities, true);
      }
    } catch (assertion) {
      throw new Error(`${label} result: ${(assertion as Error).message}`);
    }
  }
  if (op.saveResultAsEntity) entities.set(op.saveResultAsEntity, result);
}

async function loadInitialData(internal: MongoClient, data: CollectionData[]): Promise<void> {
  for (const c of data) {
    const db = internal.db(c.databaseName);
    await db.dropCollection(c.collectionName).catch(() => undefined);
    if (c.createOptions || c.documents.length === 0) await db.createCollection(c.collectionName, { ...c.createOptions, writeConcern: { w: 'majority' } });
    if (c.documents.length > 0) await db.collection(c.collectionName).insertMany(c.documents, { writeConcern: { w: 'majority' } });
  }
}

function checkEvents(expected: NonNullable<SpecTest['expectEvents']>[number], entities: EntityMap): void {
  const client = entities.clients.get(expected.client);
  if (!client) throw new Error(`expectEvents: client ${expected.client} is not defined`);
  const actual = client.events;
  const tooMany = !expected.ignoreExtraEvents && actual.length > expected.events.length;
  if (actual.length < expected.events.length || tooMany)
    throw new Error(`expected ${expected.events.length} events, observed ${actual.length}: ${actual.map((e) => `${e.type}:${e.commandName}`).join(', ')}`);
  expected.events.forEach((e, i) => {
    const [type, spec] = Object.entries(e)[0] as [string, Record<string, any>];
    const a = actual[i]!;
    const where = `event ${i} (${a.type} ${a.commandName})`;
    if (a.type !== type) throw new Error(`${where}: expected ${type}`);
    if (spec.commandName !== undefined && spec.commandName !== a.commandName) throw new Error(`${where}: expected command ${spec.commandName}`);
    if (spec.databaseName !== undefined && spec.databaseName !== a.databaseName) throw new Error(`${where}: expected database ${spec.databaseName}, got ${a.databaseName}`);
    try {
      if (spec.command !== undefined) matchValue(spec.command, a.command, entities, true);
      if (spec.reply !== undefined) matchValue(spec.reply, a.reply, entities, true);
    } catch (assertion) {
      throw new Error(`${where}: ${(assertion as Error).message}`);
    }
  });
}

async function checkOutcome(internal: MongoClient, expected: CollectionData): Promise<void> {
  const docs = await internal.db(expected.databaseName).collection(expected.collectionName).find({}, { sort: { _id: 1 }, readConcern: { level: 'local' } }).toArray();
  if (!sameValue(expected.documents, docs))
    throw new Error(`outcome ${expected.databaseName}.${expected.collectionName}: expected ${safe(expected.documents)}, found ${safe(docs)}`);
}

function safe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 400 ? `${s.slice(0, 400)}…` : s;
  } catch {
    return String(v);
  }
}
