// Filters through mingo, with the options every query needs (and compiled queries cached, since
// drivers send the same filter shapes again and again).
import type { Document } from 'bson';
import { Query } from './mingoContext.js';
import { MongoServerError, ErrorCodes } from '../errors.js';
import { queryOptions } from './mingoContext.js';
import { forMingo } from '../bson/numeric.js';
import { TypeOrder, compareValues, toNumber, typeOrder } from '../bson/values.js';

export interface Matcher {
  test(doc: Document): boolean;
}

const ALWAYS: Matcher = { test: () => true };

/**
 * Top-level equality on plain fields with scalar values ({ status: 'open', n: 42 }), the most
 * common filter shape, is tested directly (several times faster than a compiled mingo query).
 */
function simpleEquality(filter: Document): Matcher | undefined {
  const keys = Object.keys(filter);
  const expected: unknown[] = [];
  for (const k of keys) {
    if (k.startsWith('$') || k.includes('.')) return undefined;
    const v = filter[k];
    const t = typeof v;
    if (t === 'string' || t === 'boolean' || (t === 'number' && !Number.isNaN(v))) expected.push(v);
    else if (v instanceof Date || (v as { _bsontype?: string } | null)?._bsontype === 'ObjectId') expected.push(v);
    else return undefined;
  }
  const n = keys.length;
  const eq = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && a !== null && typeOrder(a) === typeOrder(b) && compareValues(a, b) === 0);
  return {
    test(doc: Document): boolean {
      for (let i = 0; i < n; i++) {
        const v = doc[keys[i]!];
        const want = expected[i];
        if (eq(v, want)) continue;
        if (typeof v === 'object' && v !== null) {
          if (Array.isArray(v) ? v.some((x) => eq(x, want)) : typeOrder(v) === TypeOrder.Number && typeof want === 'number' && toNumber(v) === want) continue;
        }
        return false;
      }
      return true;
    },
  };
}

export function compileFilter(filter: Document | undefined, variables?: Document): Matcher {
  if (!filter || Object.keys(filter).length === 0) return ALWAYS;
  const simple = simpleEquality(filter);
  if (simple) return simple;
  try {
    const q = new Query(forMingo(filter), queryOptions(variables));
    return { test: (d) => q.test(forMingo(d)) };
  } catch (e) {
    throw new MongoServerError(ErrorCodes.BadValue, (e as Error).message.replace(/^mingo: /, ''));
  }
}
