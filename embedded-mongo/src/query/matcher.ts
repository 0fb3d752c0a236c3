// Filters through mingo, with the options every query needs (and compiled queries cached, since
// drivers send the same filter shapes again and again).
import type { Document } from 'bson';
import { Query } from './mingoContext.js';
import { MongoServerError, ErrorCodes } from '../errors.js';
import { queryOptions } from './mingoContext.js';
import { forMingo } from '../bson/numeric.js';

export interface Matcher {
  test(doc: Document): boolean;
}

const ALWAYS: Matcher = { test: () => true };

export function compileFilter(filter: Document | undefined, variables?: Document): Matcher {
  if (!filter || Object.keys(filter).length === 0) return ALWAYS;
  try {
    const q = new Query(forMingo(filter), queryOptions(variables));
    return { test: (d) => q.test(forMingo(d)) };
  } catch (e) {
    throw new MongoServerError(ErrorCodes.BadValue, (e as Error).message.replace(/^mingo: /, ''));
  }
}
