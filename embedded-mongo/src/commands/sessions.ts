// Sessions and transactions: commitTransaction, abortTransaction, endSessions and friends.
import type { Document } from 'bson';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { commitTxn } from '../txn/Writer.js';
import type { CommandContext, CommandSpec } from './context.js';

async function commitTransaction(ctx: CommandContext): Promise<Document> {
  const s = ctx.session;
  if (!s) throw new MongoServerError(ErrorCodes.InvalidOptions, 'commitTransaction must be run within a session');
  const n = Number(ctx.cmd.txnNumber ?? NaN);
  // A retried commit of a transaction that already committed succeeds again.
  if (s.committed.has(n)) return { ok: 1 };
  const txn = ctx.txn;
  if (!txn) throw new MongoServerError(ErrorCodes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`, {}, ['TransientTransactionError']);
  await commitTxn(ctx.state.engine, ctx.state.sessions, txn);
  return { ok: 1 };
}

function abortTransaction(ctx: CommandContext): Document {
  const txn = ctx.txn;
  if (!txn) throw new MongoServerError(ErrorCodes.NoSuchTransaction, 'No transaction started', {}, ['TransientTransactionError']);
  ctx.state.sessions.abort(txn);
  return { ok: 1 };
}

function endSessions(ctx: CommandContext): Document {
  const ids = ctx.cmd[ctx.name];
  if (Array.isArray(ids)) {
    for (const lsid of ids) {
      if (lsid && typeof lsid === 'object') {
        ctx.state.sessions.end(lsid as Document);
      }
    }
  }
  return { ok: 1 };
}

function killAllSessions(ctx: CommandContext): Document {
  for (const s of [...ctx.state.sessions.sessions.values()]) ctx.state.sessions.end(s.lsid);
  return { ok: 1 };
}

export const sessionCommands: Record<string, CommandSpec> = {
  commitTransaction: { handler: commitTransaction, inTxn: true, adminOnly: true },
  abortTransaction: { handler: abortTransaction, inTxn: true, adminOnly: true },
  endSessions: { handler: endSessions },
  killSessions: { handler: endSessions },
  killAllSessions: { handler: killAllSessions },
  killAllSessionsByPattern: { handler: killAllSessions },
  refreshSessions: { handler: () => ({ ok: 1 }) },
  startSession: {
    handler: (ctx) => ({ id: { id: ctx.state.processId }, timeoutMinutes: 30, ok: 1 }),
  },
};
