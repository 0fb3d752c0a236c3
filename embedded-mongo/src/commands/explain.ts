// explain for find / count / distinct / aggregate / update / delete: reports the plan the
// planner picks (IDHACK, IXSCAN on an index, or COLLSCAN) with how many documents it examined.
import type { Document } from 'bson';
import { isPlainObject } from '../bson/values.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { plan, type Plan } from '../query/planner.js';
import { compileFilter } from '../query/matcher.js';
import type { CommandContext, CommandSpec } from './context.js';
import { SERVER_VERSION } from './handshake.js';

function explain(ctx: CommandContext): Document {
  const inner = ctx.cmd.explain;
  if (!isPlainObject(inner)) throw new MongoServerError(ErrorCodes.FailedToParse, 'explain command requires a nested object');
  const name = Object.keys(inner)[0]!;
  const collName = inner[name];
  if (typeof collName !== 'string') throw new MongoServerError(ErrorCodes.InvalidNamespace, 'explain requires a collection');
  const ns = ctx.db + '.' + collName;
  let filter: Document = {};
  let sort: Document | undefined;
  if (name === 'find') {
    filter = (inner.filter as Document) ?? {};
    sort = inner.sort as Document | undefined;
  } else if (name === 'count' || name === 'distinct') filter = (inner.query as Document) ?? {};
  else if (name === 'aggregate') {
    const first = (inner.pipeline as Document[] | undefined)?.[0];
    if (first && isPlainObject(first.$match)) filter = first.$match as Document;
  } else if (name === 'update') filter = ((inner.updates as Document[])?.[0]?.q as Document) ?? {};
  else if (name === 'delete') filter = ((inner.deletes as Document[])?.[0]?.q as Document) ?? {};
  else if (name === 'findAndModify') filter = (inner.query as Document) ?? {};
  const coll = ctx.state.engine.coll(ns);
  let examined = 0;
  let returned = 0;
  let winningPlan: Document = { stage: 'EOF' };
  if (coll) {
    const p = plan(coll, filter, sort);
    const describe = (q: Plan): Document => {
      if (q.branches) return { stage: 'OR', inputStages: q.branches.map(describe) };
      if (q.stage !== 'IXSCAN') return { stage: q.stage };
      return { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: q.index, keyPattern: coll.getIndex(q.index!)?.spec.key } };
    };
    winningPlan = p.branches ? { stage: 'FETCH', inputStage: describe(p) } : describe(p);
    const m = compileFilter(filter);
    for (const r of p.recs) {
      examined++;
      if (m.test(r.doc)) returned++;
    }
  }
  const stage = String(winningPlan.stage);
  return {
    explainVersion: '1',
    queryPlanner: { namespace: ns, parsedQuery: filter, winningPlan, rejectedPlans: [] },
    executionStats: { executionSuccess: true, nReturned: returned, totalKeysExamined: stage === 'COLLSCAN' ? 0 : examined, totalDocsExamined: examined },
    serverInfo: { host: ctx.state.address(), version: SERVER_VERSION },
    command: inner,
    ok: 1,
  };
}

export const explainCommands: Record<string, CommandSpec> = {
  explain: { handler: explain },
};
