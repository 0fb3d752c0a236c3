
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
  if (actual instanceof Map) actual = Object.fromEntries(actual);
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
  if (e !== undefined && !is(expected, 'Decimal128')) {
    const a = numberOf(actual);
    if (a === undefined || is(actual, 'Decimal128') || a !== e) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!sameValue(expected, actual)) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
}

/** Exact (outcome) comparison: documents must have the same keys in any order; numbers by value. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (actual instanceof Map) actual = Object.fromEntries(actual);
  const e = numberOf(expected);
  if (e !== undefined && !is(expected, 'Decimal128')) {
    const a = numberOf(actual);
    return a !== undefined && !is(actual, 'Decimal128') && (a === e || (Number.isNaN(a) && Number.isNaN(e)));
  }
  if (expected === null || actual === null || expected === undefined || actual === undefined) return expected === actual;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => sameValue(v, actual[i]));
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  const et = bsonType(expected);
  if (et) {
    const at = bsonType(actual);
    if (et === 'BSONRegExp' && actual instanceof RegExp) return (expected as { pattern: string }).pattern === actual.source;
    if (at !== et) return false;
    if (et === 'Binary') {
      const x = expected as { sub_type: number; buffer: Uint8Array };
      const y = actual as { sub_type: number; buffer: Uint8Array };
      return x.sub_type === y.sub_type && Buffer.from(x.buffer).equals(Buffer.from(y.buffer));
    }
    if (et === 'BSONRegExp') {
      const x = expected as { pattern: string; options: string };
      const y = actual as { pattern: string; options: string };
      return x.pattern === y.pattern && x.options === y.options;
    }
    if (et === 'MinKey' || et === 'MaxKey') return true;
    if (et === 'Code') return (expected as { code: string }).code === (actual as { code: string }).code;
    return String(expected) === String(actual) || JSON.stringify(expected) === JSON.stringify(actual);
  }
  if (isPlainDocument(expected)) {
    if (!isPlainDocument(actual)) return false;
    const ek = Object.keys(expected).filter((k) => expected[k] !== undefined);
    const ak = Object.keys(actual).filter((k) => actual[k] !== undefined);
    return ek.length === ak.length && ek.every((k) => k in actual && sameValue(expected[k], actual[k]));
  }
  return expected === actual;
}

/** The BSON class name of a bson value (by `_bsontype`, so the driver's CJS copy of bson matches too). */
function bsonType(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const t = (v as { _bsontype?: unknown })._bsontype;
  return typeof t === 'string' ? t : undefined;
}

function is(v: unknown, type: string): boolean {
  return bsonType(v) === type;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsonType(v)) {
    case 'Long': return (v as { toNumber(): number }).toNumber();
    case 'Double':
    case 'Int32': return (v as { valueOf(): number }).valueOf();
    case 'Decimal128': return Number(String(v));
    default: return undefined;
  }
}

/** `$type` names. Plain JS numbers cannot tell int, long and double apart, so a number counts as each. */
function hasBsonType(v: unknown, type: string): boolean {
  const bt = bsonType(v);
  switch (type) {
    case 'double': return bt === 'Double' || typeof v === 'number';
    case 'int': return bt === 'Int32' || (typeof v === 'number' && Number.isInteger(v));
    case 'long': return bt === 'Long' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'decimal': return bt === 'Decimal128';
    case 'number': return numberOf(v) !== undefined;
    case 'string': return typeof v === 'string';
    case 'object': return isPlainDocument(v);
    case 'array': return Array.isArray(v);
    case 'binData': return bt === 'Binary';
    case 'objectId': return bt === 'ObjectId';
    case 'bool': return typeof v === 'boolean';
    case 'date': return v instanceof Date;
    case 'null': return v === null;
    case 'regex': return bt === 'BSONRegExp' || v instanceof RegExp;
    case 'timestamp': return bt === 'Timestamp';
    case 'minKey': return bt === 'MinKey';
    case 'maxKey': return bt === 'MaxKey';
    case 'javascript': return bt === 'Code';
    default: return false;
  }
}

function isOperator(v: unknown): v is Record<string, unknown> {
  if (!isPlainDocument(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0]!.startsWith('$$');
}

/** A document: any non-array object that is not a BSON value, Date, RegExp or binary buffer (the
 * driver puts class instances such as ReadConcern into the commands it reports). */
export function isPlainDocument(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if (bsonType(v) || v instanceof Date || v instanceof RegExp || v instanceof Uint8Array || v instanceof Map) return false;
  return true;
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
