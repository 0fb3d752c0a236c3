// mingo options shared by queries, updates and aggregations: MongoDB's strict semantics, and
// the collection resolver that lets $lookup / $unionWith / $graphLookup read other collections.
import type { Document } from 'bson';
import { Context } from 'mingo';
import type { Options } from 'mingo/types';
import { bsonQueryOps, bsonExpressionOps } from './bsonOperators.js';

let resolver: ((ns: string) => Document[]) | undefined;
let context: Context | undefined;

/** Set once by the server: how `$lookup: { from }` finds a collection's documents. */
export function setCollectionResolver(fn: (name: string) => Document[]): void {
  resolver = fn;
}

function ctx(): Context {
  context ??= Context.init({ query: bsonQueryOps, expression: bsonExpressionOps });
  return context;
}

export function queryOptions(variables?: Document, collectionResolver?: (name: string) => Document[]): Partial<Options> {
  const o: { -readonly [K in keyof Options]?: Options[K] } = {
    useStrictMode: true,
    scriptEnabled: false,
    context: ctx(),
  };
  const r = collectionResolver ?? resolver;
  if (r) o.collectionResolver = r as Options['collectionResolver'];
  if (variables) o.variables = variables;
  return o;
}
