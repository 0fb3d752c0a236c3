// Fail points per server: the `configureFailPoint` command and the check the connection handler
// runs before each command (see FailPoints.ts for the supported fail points and data fields).
import type { Document } from 'bson';
import { registerCommand } from '../commands/index.js';
import type { ConnectionInfo, ServerState } from '../commands/context.js';
import { FailPoints, type FailAction } from './FailPoints.js';

const perServer = new WeakMap<ServerState, FailPoints>();

function failPointsOf(state: ServerState): FailPoints {
  let fp = perServer.get(state);
  if (!fp) perServer.set(state, (fp = new FailPoints()));
  return fp;
}

registerCommand('configureFailPoint', { handler: (ctx) => failPointsOf(ctx.state).configure(ctx.cmd), adminOnly: true });

/** What, if anything, an armed fail point does to this command (consumes one activation). */
export function tripFailPoint(state: ServerState, conn: ConnectionInfo, cmd: Document): FailAction | null {
  const fp = perServer.get(state);
  if (!fp) return null;
  const name = Object.keys(cmd)[0] ?? '';
  const coll = typeof cmd[name] === 'string' ? (cmd[name] as string) : name === 'getMore' ? String(cmd.collection) : '';
  let changeStreamCursor = false;
  if (name === 'getMore') {
    try {
      changeStreamCursor = state.cursors.get(cmd.getMore, `${String(cmd.$db)}.${String(cmd.collection)}`).source.tailable === true;
    } catch {
      /* unknown cursor: the command itself will say so */
    }
  }
  const application = (conn.clientMetadata?.application as Document | undefined)?.name;
  return fp.check(name, {
    appName: typeof application === 'string' ? application : undefined,
    ns: `${String(cmd.$db)}.${coll}`,
    changeStreamCursor,
    retryableWrite: cmd.txnNumber !== undefined && cmd.autocommit === undefined,
  });
}
