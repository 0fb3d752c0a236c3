// Runs one command: finds its handler, binds its session and transaction, runs it, commits its
// writes (fsync) before answering, and decorates every reply with $clusterTime/operationTime.
import { Binary, Long, type Document } from 'bson';
import { commands } from '../commands/index.js';
import type { CommandContext, ConnectionInfo, ServerState } from '../commands/context.js';
import { ErrorCodes, MongoServerError, toServerError } from '../errors.js';
import { Unit } from '../storage/Engine.js';
import { LockWait, type Txn } from '../txn/Sessions.js';
import { DirectWriter, TxnWriter } from '../txn/Writer.js';

const RETRYABLE = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
const ZERO_HASH = new Binary(Buffer.alloc(20), 0);
const ZERO_KEY = Long.fromNumber(0);

/** How long a write outside a transaction waits for a transaction's lock before WriteConflict. */
const LOCK_WAIT_MS = 65_000;

function decorate(state: ServerState, reply: Document): Document {
  const t = state.engine.clusterTime();
  reply.$clusterTime = { clusterTime: t, signature: { hash: ZERO_HASH, keyId: ZERO_KEY } };
  reply.operationTime = t;
  return reply;
}

export async function dispatch(state: ServerState, conn: ConnectionInfo, cmd: Document): Promise<Document> {
  let txn: Txn | undefined;
  let name = '';
  try {
    name = Object.keys(cmd)[0] ?? '';
    const spec = commands[name];
    if (!spec) throw new MongoServerError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    const db = cmd.$db;
    if (typeof db !== 'string' || !db) throw new MongoServerError(40571, 'OP_MSG requests require a $db argument');
    if (spec.adminOnly && db !== 'admin') throw new MongoServerError(ErrorCodes.Unauthorized, `${name} may only be run against the admin database.`);

    const lsid = cmd.lsid as Document | undefined;
    const session = lsid ? state.sessions.get(lsid) : undefined;
    if (cmd.autocommit === false) {
      if (!session) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Transactions require a session (lsid)');
      const n = Number(cmd.txnNumber as Long | number | undefined ?? NaN);
      if (!Number.isFinite(n)) throw new MongoServerError(ErrorCodes.InvalidOptions, 'txnNumber is required for a transaction');
      if (name === 'commitTransaction' || name === 'abortTransaction') {
        txn = session.txn && session.txn.number === n && session.txn.state === 'active' ? session.txn : undefined;
        if (name === 'abortTransaction' && !txn && session.committed.has(n)) {
          throw new MongoServerError(ErrorCodes.TransactionCommitted, `Transaction ${n} has been committed.`);
        }
      } else {
        if (!spec.inTxn) {
          throw new MongoServerError(ErrorCodes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
        }
        txn = state.sessions.resolveTxn(session, n, cmd.startTransaction === true);
      }
    } else if (cmd.startTransaction === true) {
      throw new MongoServerError(ErrorCodes.InvalidOptions, 'startTransaction requires autocommit: false');
    }
    // Retryable writes: a retry of the same (lsid, txnNumber) returns the first reply, so a
    // write the driver resends after a network error is applied once.
    const retryable = !txn && session && cmd.txnNumber !== undefined && RETRYABLE.has(name) ? Number(cmd.txnNumber) : undefined;
    if (retryable !== undefined && session!.lastRetryable?.txnNumber === retryable) {
      return decorate(state, { ...session!.lastRetryable.reply });
    }

    const engine = state.engine;
    const writer = txn ? new TxnWriter(engine, state.sessions, txn) : new DirectWriter(engine, state.sessions);
    writer.bypassValidation = cmd.bypassDocumentValidation === true;
    const ctx: CommandContext = {
      state,
      db,
      cmd,
      name,
      conn,
      session,
      txn,
      writer,
      statement: async <T>(fn: () => T): Promise<T> => {
        const deadline = Date.now() + LOCK_WAIT_MS;
        for (;;) {
          try {
            return fn();
          } catch (e) {
            if (!(e instanceof LockWait)) throw e;
            // Make what this command already wrote durable, then wait for the transaction.
            if (writer instanceof DirectWriter && !writer.unit.empty) {
              const done = writer.unit;
              (writer as { unit: Unit }).unit = new Unit();
              await engine.commit(done);
            }
            const left = deadline - Date.now();
            if (left <= 0) throw new MongoServerError(ErrorCodes.WriteConflict, 'Write conflict: the document is locked by a transaction that did not finish in time');
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([e.released, new Promise<void>((r) => (timer = setTimeout(r, left)))]);
            clearTimeout(timer);
          }
        }
      },
    };
    let reply: Document;
    try {
      reply = await spec.handler(ctx);
    } catch (e) {
      if (writer instanceof DirectWriter) await engine.commit(writer.unit).catch(() => {});
      throw e;
    }
    if (writer instanceof DirectWriter) await engine.commit(writer.unit);
    if (txn && Array.isArray(reply.writeErrors) && reply.writeErrors.length) state.sessions.abort(txn);
    if (retryable !== undefined) session!.lastRetryable = { txnNumber: retryable, reply: { ...reply } };
    return decorate(state, reply);
  } catch (e) {
    const err = toServerError(e);
    if (txn && txn.state === 'active' && name !== 'commitTransaction') state.sessions.abort(txn);
    if (err.code === ErrorCodes.InternalError && !(e instanceof MongoServerError)) {
      process.emitWarning(`embedded-mongo: ${name} failed: ${(e as Error).stack ?? String(e)}`);
    }
    return decorate(state, err.toReply());
  }
}
