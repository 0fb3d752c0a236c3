// BSON value semantics as MongoDB defines them: the cross-type sort order, numeric comparison
// across int/long/double/decimal, and a canonical string key for hash lookups by _id.
import { Long, ObjectId, type Document } from 'bson';

type BsonObj = { _bsontype?: string };

/** Canonical type brackets in MongoDB's comparison order. */
export const TypeOrder = {
  MinKey: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  BinData: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  RegExp: 12,
  Code: 13,
  MaxKey: 14,
} as const;

/** A seek sentinel: sorts before (or after) every value of one type bracket. */
export class TypeBound {
  constructor(readonly order: number, readonly max: boolean) {}
}

export function typeOrder(v: unknown): number {
  if (v === null || v === undefined) return TypeOrder.Null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeOrder.Number;
    case 'string':
      return TypeOrder.String;
    case 'boolean':
      return TypeOrder.Boolean;
    case 'object':
      break;
    default:
      return TypeOrder.Object;
  }
  if (Array.isArray(v)) return TypeOrder.Array;
  if (v instanceof Date) return TypeOrder.Date;
  if (v instanceof RegExp) return TypeOrder.RegExp;
  if (v instanceof Uint8Array) return TypeOrder.BinData;
  const t = (v as BsonObj)._bsontype;
  if (t !== undefined) {
    switch (t) {
      case 'ObjectId':
        return TypeOrder.ObjectId;
      case 'Long':
      case 'Int32':
      case 'Double':
      case 'Decimal128':
        return TypeOrder.Number;
      case 'Binary':
        return TypeOrder.BinData;
      case 'Timestamp':
        return TypeOrder.Timestamp;
      case 'BSONRegExp':
        return TypeOrder.RegExp;
      case 'BSONSymbol':
        return TypeOrder.String;
      case 'MinKey':
        return TypeOrder.MinKey;
      case 'MaxKey':
        return TypeOrder.MaxKey;
      case 'Code':
        return TypeOrder.Code;
      case 'DBRef':
        return TypeOrder.Object;
    }
  }
  if (v instanceof TypeBound) return v.order;
  return TypeOrder.Object;
}

/** A number-like BSON value as a JS number (precision beyond 2^53 is lost, as mingo would). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = (v as BsonObj)._bsontype;
  if (t === 'Long') return (v as Long).toNumber();
  if (t === 'Int32' || t === 'Double') return (v as { value: number }).value;
  if (t === 'Decimal128') return parseFloat((v as object).toString());
  return NaN;
}

function cmpNum(a: number, b: number): number {
  // MongoDB orders NaN below every other number.
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an && bn ? 0 : an ? -1 : 1;
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** MongoDB's total order over BSON values (used by indexes and sorts). */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ta = typeOrder(a);
  const tb = typeOrder(b);
  if (a instanceof TypeBound || b instanceof TypeBound) {
    if (ta !== tb) return ta - tb;
    if (a instanceof TypeBound && b instanceof TypeBound) return (a.max ? 1 : 0) - (b.max ? 1 : 0);
    if (a instanceof TypeBound) return a.max ? 1 : -1;
    return (b as TypeBound).max ? -1 : 1;
  }
  if (ta !== tb) return ta - tb;
  switch (ta) {
    case TypeOrder.Null:
    case TypeOrder.MinKey:
    case TypeOrder.MaxKey:
      return 0;
    case TypeOrder.Number: {
      if (typeof a === 'number' && typeof b === 'number') return cmpNum(a, b);
      const la = (a as BsonObj)._bsontype === 'Long';
      const lb = (b as BsonObj)._bsontype === 'Long';
      if (la && lb) return (a as Long).compare(b as Long);
      return cmpNum(toNumber(a), toNumber(b));
    }
    case TypeOrder.String:
      return cmpStr(String(a), String(b));
    case TypeOrder.Boolean:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case TypeOrder.Date:
      return cmpNum((a as Date).getTime(), (b as Date).getTime());
    case TypeOrder.ObjectId: {
      const x = a as ObjectId;
      const y = b as ObjectId;
      return cmpBytes(x.id, y.id);
    }
    case TypeOrder.Timestamp: {
      const x = a as unknown as { high: number; low: number };
      const y = b as unknown as { high: number; low: number };
      const hx = x.high >>> 0;
      const hy = y.high >>> 0;
      if (hx !== hy) return hx < hy ? -1 : 1;
      const lx = x.low >>> 0;
      const ly = y.low >>> 0;
      return lx === ly ? 0 : lx < ly ? -1 : 1;
    }
    case TypeOrder.BinData: {
      const x = binBytes(a);
      const y = binBytes(b);
      if (x.length !== y.length) return x.length - y.length;
      const sx = binSubtype(a);
      const sy = binSubtype(b);
      if (sx !== sy) return sx - sy;
      return cmpBytes(x, y);
    }
    case TypeOrder.RegExp: {
      const [sa, fa] = regexParts(a);
      const [sb, fb] = regexParts(b);
      return cmpStr(sa, sb) || cmpStr(fa, fb);
    }
    case TypeOrder.Code:
      return cmpStr(String((a as { code: unknown }).code), String((b as { code: unknown }).code));
    case TypeOrder.Array: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    default:
      return compareDocs(a as Document, b as Document);
  }
}

function compareDocs(a: Document, b: Document): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]!];
    const vb = b[kb[i]!];
    const t = typeOrder(va) - typeOrder(vb);
    if (t) return t;
    const k = cmpStr(ka[i]!, kb[i]!);
    if (k) return k;
    const c = compareValues(va, vb);
    if (c) return c;
  }
  return ka.length - kb.length;
}

function binBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const b = v as { buffer: Uint8Array; position?: number };
  return b.position !== undefined ? b.buffer.subarray(0, b.position) : b.buffer;
}
function binSubtype(v: unknown): number {
  return v instanceof Uint8Array ? 0 : ((v as { sub_type?: number }).sub_type ?? 0);
}
function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

/** Equality as MongoDB means it ({a: 1} equals {a: 1.0} and {a: Long(1)}). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0 && typeOrder(a) === typeOrder(b);
}

/**
 * A string that is equal for equal BSON values: the key of the `_id` hash map and of unique-key
 * locks. Numbers of any BSON type that are equal give the same key.
 */
export function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + (v === 0 ? '0' : String(v));
    case 'boolean':
      return v ? 'bt' : 'bf';
    case 'undefined':
      return 'z';
  }
  if (v === null) return 'z';
  const t = (v as BsonObj)._bsontype;
  if (t === 'ObjectId') return 'o' + (v as ObjectId).toHexString();
  if (typeOrder(v) === TypeOrder.Number) {
    if (t === 'Long') {
      const n = (v as Long).toNumber();
      return Number.isSafeInteger(n) ? 'n' + String(n) : 'n' + (v as Long).toString();
    }
    const n = toNumber(v);
    return 'n' + (n === 0 ? '0' : String(n));
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (Array.isArray(v)) return 'a[' + v.map(valueKey).join(',') + ']';
  if (t === undefined && typeof v === 'object' && !(v instanceof RegExp) && !(v instanceof Uint8Array)) {
    const parts: string[] = [];
    for (const k of Object.keys(v as Document)) parts.push(JSON.stringify(k) + ':' + valueKey((v as Document)[k]));
    return '{' + parts.join(',') + '}';
  }
  if (t === 'Binary' || v instanceof Uint8Array) return 'x' + binSubtype(v) + ':' + Buffer.from(binBytes(v)).toString('base64');
  if (t === 'Timestamp') return 't' + String(v);
  if (v instanceof RegExp) return 'r/' + v.source + '/' + v.flags;
  return (t ?? 'u') + ':' + String(v);
}

/**
 * Every value a dotted path reaches, with arrays along the way expanded (MongoDB's multikey
 * semantics). A missing path gives no values.
 */
export function pathValues(doc: unknown, path: string, out: unknown[] = [], from = 0): unknown[] {
  const parts = path.split('.');
  walkPath(doc, parts, from, out);
  return out;
}

function walkPath(v: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(v);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const part = parts[i]!;
  if (Array.isArray(v)) {
    if (/^\d+$/.test(part)) {
      const idx = Number(part);
      if (idx < v.length) walkPath(v[idx], parts, i + 1, out);
    }
    for (const el of v) if (el !== null && typeof el === 'object' && !Array.isArray(el)) walkPath(el, parts, i, out);
    return;
  }
  if ((v as BsonObj)._bsontype !== undefined || v instanceof Date || v instanceof RegExp) return;
  if (!Object.prototype.hasOwnProperty.call(v, part)) return;
  walkPath((v as Document)[part], parts, i + 1, out);
}

/** Nesting depth of a document (a flat document has depth 1). */
export function nestingDepth(v: unknown, limit: number, depth = 0): number {
  if (v === null || typeof v !== 'object' || (v as BsonObj)._bsontype !== undefined || v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) {
    return depth;
  }
  const d = depth + 1;
  if (d > limit) return d;
  let max = d;
  const values = Array.isArray(v) ? v : Object.values(v as Document);
  for (const x of values) {
    const n = nestingDepth(x, limit, d);
    if (n > max) {
      max = n;
      if (max > limit) return max;
    }
  }
  return max;
}

/** A deep copy of plain objects and arrays; BSON value objects are immutable and shared. */
export function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if ((v as BsonObj)._bsontype !== undefined || v instanceof RegExp || v instanceof Uint8Array) return v;
  const out: Document = {};
  for (const k of Object.keys(v as Document)) out[k] = deepCopy((v as Document)[k]);
  return out as T;
}

export function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as BsonObj)._bsontype === undefined && !(v instanceof Date) && !(v instanceof RegExp) && !(v instanceof Uint8Array);
}

export { Long, ObjectId };
