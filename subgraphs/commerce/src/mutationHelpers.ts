// Helpers shared by the mutation resolvers: the readonly-key guard, the transaction wrapper, not-found errors.
import type { ClientSession } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import { canWrite } from '../../../platform/src/principal.js';
import type { Context } from './context.js';

/** Readonly keys may only read; checked here too so the subgraph never relies on the gateway alone. */
export function requireWrite(ctx: Context): void {
  if (!canWrite(ctx.principal)) throw new JunctionError('FORBIDDEN', 'This API key may only read', {});
}

/**
 * Runs `fn` in a transaction: the change and its outbox events commit together or not at all.
 * The driver retries the whole callback on WriteConflict (TransientTransactionError); a
 * JunctionError thrown by `fn` aborts the transaction and reaches the caller unchanged.
 */
export async function inTransaction<T>(ctx: Context, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return ctx.client.withSession((session) => session.withTransaction(() => fn(session)));
}

export function notFound(kind: 'User' | 'Product' | 'Order', id: string, param: string): JunctionError {
  return new JunctionError('RESOURCE_NOT_FOUND', `${kind} ${id} does not exist`, { param });
}
