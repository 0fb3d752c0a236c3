// mingo options shared by queries, updates and aggregations: MongoDB's strict semantics, every
// mingo operator plus this server's BSON-aware ones (which must win over mingo's own, so the
// context is built here rather than through mingo's default-merging entry point), and the
// collection resolver that lets $lookup / $unionWith / $graphLookup read other collections.
import type { Document } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import { Query } from 'mingo/query';
import { Aggregator } from 'mingo/aggregator';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { bsonExpressionOps, bsonQueryOps } from './bsonOperators.js';

let resolver: ((ns: string) => Document[]) | undefined;

const CONTEXT = Context.init({
  accumulator: { ...accumulatorOperators } as never,
  expression: { ...expressionOperators, ...(bsonExpressionOps as object) } as never,
  pipeline: { ...pipelineOperators } as never,
  projection: { ...projectionOperators } as never,
  query: { ...queryOperators, ...(bsonQueryOps as object) } as never,
  window: { ...windowOperators } as never,
});

/** Set once by the server: how `$lookup: { from }` finds a collection's documents. */
export function setCollectionResolver(fn: (name: string) => Document[]): void {
  resolver = fn;
}

export function queryOptions(variables?: Document, collectionResolver?: (name: string) => Document[]): Partial<Options> {
  const o: { -readonly [K in keyof Options]?: Options[K] } = {
    useStrictMode: true,
    scriptEnabled: false,
    context: CONTEXT,
  };
  const r = collectionResolver ?? resolver;
  if (r) o.collectionResolver = r as Options['collectionResolver'];
  if (variables) o.variables = variables;
  return o;
}

export { Query, Aggregator };

/** A command's `let` document with each variable's expression evaluated (as MongoDB does). */
export function evalLet(vars: Document | undefined): Document | undefined {
  if (!vars) return undefined;
  const out: Document = {};
  const opts = queryOptions() as Parameters<typeof evalExpr>[2];
  for (const [k, v] of Object.entries(vars)) out[k] = evalExpr({}, v, { ...opts, variables: out } as never);
  return out;
}
