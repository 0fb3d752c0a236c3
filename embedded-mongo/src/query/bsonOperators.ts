// Operators mingo cannot know about BSON: `$type` for every BSON type (query and expression),
// and ObjectId in `$toString` / `$toObjectId`.
import { ObjectId, type Document } from 'bson';
import { evalExpr } from 'mingo/core';
import { resolve } from 'mingo/util';
import type { Options } from 'mingo/types';
import { MongoServerError, ErrorCodes } from '../errors.js';
import { originalOf } from '../bson/numeric.js';

const TYPE_ALIASES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

/** MongoDB's type name for a value as this server stores it. */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0) ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (v instanceof Uint8Array) return 'binData';
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return 'objectId';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'BSONSymbol':
      return 'symbol';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'Code':
      return 'javascript';
  }
  return 'object';
}

function typeMatches(v: unknown, t: unknown): boolean {
  const name = typeof t === 'number' ? TYPE_ALIASES[t] : t;
  if (name === undefined) throw new MongoServerError(ErrorCodes.BadValue, `Invalid numerical type code: ${String(t)}`);
  const actual = bsonTypeName(v);
  if (name === 'number') return actual === 'int' || actual === 'long' || actual === 'double' || actual === 'decimal';
  return actual === name;
}

const $typeQuery = (selector: string, value: unknown, _options: Options) => {
  const types = Array.isArray(value) ? value : [value];
  return (obj: Document): boolean => {
    const v = resolve(originalOf(obj), selector, { unwrapArray: true });
    if (v === undefined) return false;
    if (types.some((t) => typeMatches(v, t))) return true;
    // An array field also matches when one of its elements has the type (except 'array' itself).
    return Array.isArray(v) && v.some((x) => types.some((t) => typeMatches(x, t)));
  };
};

const $typeExpr = (obj: unknown, expr: unknown, options: Options) => bsonTypeName(evalExpr(obj, expr, options));

const $toString = (obj: unknown, expr: unknown, options: Options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'ObjectId') return (v as ObjectId).toHexString();
  if (t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double') return String(v);
  if (typeof v === 'object' && !(v instanceof RegExp)) {
    throw new MongoServerError(ErrorCodes.Location40352 ?? 241, `Unsupported conversion from ${bsonTypeName(v)} to string in $convert with no onError value`);
  }
  return String(v);
};

const $toObjectId = (obj: unknown, expr: unknown, options: Options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if ((v as { _bsontype?: string })._bsontype === 'ObjectId') return v;
  if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return ObjectId.createFromHexString(v);
  throw new MongoServerError(241, `Failed to parse objectId '${String(v)}' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found ${String(v).length}`);
};

export const bsonQueryOps = { $type: $typeQuery } as never;
export const bsonExpressionOps = { $type: $typeExpr, $toString, $toObjectId } as never;
