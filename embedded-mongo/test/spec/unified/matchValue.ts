import { Binary, Long, ObjectId, Timestamp, Decimal128, Double, Int32, BSONRegExp, MinKey, MaxKey, Code } from 'bson';

/** What `$$matchesEntity` and `$$sessionLsid` need from the test's entity map. */
export interface MatchContext {
  entity(name: string): unknown;
  sessionLsid(name: string): unknown;
}

/** An assertion failure with the path at which expected and actual diverged. */
export class MatchError extends Error {}

/**
 * Matches `actual` against `expected` by the unified test format's "Evaluating Matches" rules:
 * extra keys are allowed only in root-level documents, numbers compare by value across
 * int/long/double, and `$$` operators are evaluated.
 */
export function matchValue(expected: unknown, actual: unknown, ctx: MatchContext, isRoot = true, path = ''): void {
  if (isOperator(expected)) return matchOperator(expected, actual, ctx, isRoot, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(path, `expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) fail(path, `expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    expected.forEach((e, i) => matchValue(e, actual[i], ctx, false, `${path}[${i}]`));
    return;
  }
  if (isPlainDocument(expected)) {
    if (!isPlainDocument(actual)) fail(path, `expected a document, got ${show(actual)}`);
    const act = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      const sub = path ? `${path}.${key}` : key;
      if (isOperator(value)) {
        const op = Object.keys(value)[0];
        if (op === '$$exists') {
          const exists = key in act && act[key] !== undefined;
          if (exists !== Boolean(value.$$exists)) fail(sub, `expected field ${value.$$exists ? 'present' : 'absent'}`);
          continue;
        }
        if (op === '$$unsetOrMatches') {
          if (!(key in act) || act[key] === undefined) continue;
          matchValue(value.$$unsetOrMatches, act[key], ctx, false, sub);
          continue;
        }
      }
      if (!(key in act) || act[key] === undefined) fail(sub, `missing field (actual ${show(actual)})`);
      matchValue(value, act[key], ctx, false, sub);
    }
    if (!isRoot) {
      const extra = Object.keys(act).filter((k) => !(k in expected) && act[k] !== undefined);
      if (extra.length > 0) fail(path, `unexpected fields ${extra.join(', ')} in ${show(actual)}`);
    }
    return;
  }
  matchScalar(expected, actual, path);
}

function matchOperator(expected: Record<string, unknown>, actual: unknown, ctx: MatchContext, isRoot: boolean, path: string): void {
  const [op] = Object.keys(expected) as [string];
  const arg = expected[op];
  switch (op) {
    case '$$type': {
      const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
      if (actual === undefined || !types.some((t) => hasBsonType(actual, t))) fail(path, `expected type ${types.join('|')}, got ${show(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return matchValue(arg, actual, ctx, isRoot, path);
    case '$$exists':
      if ((actual !== undefined) !== Boolean(arg)) fail(path, `expected ${arg ? 'present' : 'absent'}`);
      return;
    case '$$matchesEntity':
      return matchValue(ctx.entity(arg as string), actual, ctx, isRoot, path);
    case '$$sessionLsid':
      return matchValue(ctx.sessionLsid(arg as string), actual, ctx, false, path);
    case '$$lte':
      if (numberOf(actual) === undefined || numberOf(actual)! > numberOf(arg)!) fail(path, `expected ≤ ${show(arg)}, got ${show(actual)}`);
      return;
    case '$$matchAsDocument':
      if (typeof actual !== 'string') fail(path, 'expected an extended JSON string');
      return matchValue(arg, JSON.parse(actual as string), ctx, false, path);
    case '$$matchAsRoot':
      return matchValue(arg, actual, ctx, true, path);
    case '$$matchesHexBytes':
      if (typeof actual !== 'string' || actual.toLowerCase() !== String(arg).toLowerCase()) fail(path, 'hex bytes differ');
      return;
    default:
      throw new MatchError(`${path}: unsupported match operator ${op}`);
  }
}

function matchScalar(expected: unknown, actual: unknown, path: string): void {
  const e = numberOf(expected);
  if (e !== undefined && !(expected instanceof Decimal128)) {
    const a = numberOf(actual);
    if (a === undefined || actual instanceof Decimal128 || a !== e) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!sameValue(expected, actual)) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
}

/** Exact (outcome) comparison: documents must have the same keys in any order; numbers by value. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  const e = numberOf(expected);
  if (e !== undefined && !(expected instanceof Decimal128)) {
    const a = numberOf(actual);
    return a !== undefined && !(actual instanceof Decimal128) && (a === e || (Number.isNaN(a) && Number.isNaN(e)));
  }
  if (expected === null || actual === null || expected === undefined || actual === undefined) return expected === actual;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => sameValue(v, actual[i]));
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  if (expected instanceof ObjectId) return actual instanceof ObjectId && actual.equals(expected);
  if (expected instanceof Binary) return actual instanceof Binary && actual.sub_type === expected.sub_type && Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer));
  if (expected instanceof Decimal128) return actual instanceof Decimal128 && actual.toString() === expected.toString();
  if (expected instanceof Timestamp) return actual instanceof Timestamp && actual.equals(expected);
  if (expected instanceof BSONRegExp) return (actual instanceof BSONRegExp && actual.pattern === expected.pattern && actual.options === expected.options) || (actual instanceof RegExp && actual.source === expected.pattern);
  if (expected instanceof MinKey || expected instanceof MaxKey) return actual?.constructor === expected.constructor;
  if (expected instanceof Code) return actual instanceof Code && actual.code === expected.code;
  if (isPlainDocument(expected)) {
    if (!isPlainDocument(actual)) return false;
    const ek = Object.keys(expected).filter((k) => expected[k] !== undefined);
    const ak = Object.keys(actual).filter((k) => actual[k] !== undefined);
    return ek.length === ak.length && ek.every((k) => k in actual && sameValue(expected[k], actual[k]));
  }
  return expected === actual;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Double || v instanceof Int32) return v.valueOf();
  if (v instanceof Decimal128) return Number(v.toString());
  return undefined;
}

/** `$type` names. Plain JS numbers cannot tell int from long, so an integral number counts as both. */
function hasBsonType(v: unknown, type: string): boolean {
  switch (type) {
    case 'double': return v instanceof Double || (typeof v === 'number' && !Number.isInteger(v)) || typeof v === 'number';
    case 'int': return v instanceof Int32 || (typeof v === 'number' && Number.isInteger(v));
    case 'long': return v instanceof Long || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'decimal': return v instanceof Decimal128;
    case 'number': return numberOf(v) !== undefined;
    case 'string': return typeof v === 'string';
    case 'object': return isPlainDocument(v);
    case 'array': return Array.isArray(v);
    case 'binData': return v instanceof Binary;
    case 'objectId': return v instanceof ObjectId;
    case 'bool': return typeof v === 'boolean';
    case 'date': return v instanceof Date;
    case 'null': return v === null;
    case 'regex': return v instanceof BSONRegExp || v instanceof RegExp;
    case 'timestamp': return v instanceof Timestamp;
    case 'minKey': return v instanceof MinKey;
    case 'maxKey': return v instanceof MaxKey;
    case 'javascript': return v instanceof Code;
    default: return false;
  }
}

function isOperator(v: unknown): v is Record<string, unknown> {
  if (!isPlainDocument(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0]!.startsWith('$$');
}

export function isPlainDocument(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function fail(path: string, message: string): never {
  throw new MatchError(`${path || '(root)'}: ${message}`);
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(v);
  }
}
