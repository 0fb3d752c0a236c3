// Test fail points, as mongod offers them with enableTestCommands: `failCommand` (fail, block or
// drop the connection for named commands) and `failGetMoreAfterCursorCheckout`. Driver test suites
// use them to exercise retries and change stream resumption against a real server.
import type { Document } from 'bson';
import { MongoServerError, codeName } from '../errors.js';

type Mode = { kind: 'off' } | { kind: 'alwaysOn' } | { kind: 'times'; left: number } | { kind: 'skip'; left: number };

interface Armed {
  mode: Mode;
  data: Document;
}

/** What the dispatcher must do instead of (or before) running a command. */
export interface FailAction {
  closeConnection: boolean;
  blockMS: number;
  /** An error reply to send instead of running the command. */
  reply?: Document;
  /** A write concern error to attach to the command's normal reply. */
  writeConcernError?: Document;
}

/** Error codes after which a change stream may resume (the server labels them so on getMore). */
const RESUMABLE = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 63, 150, 13388, 234, 133, 43]);
/** Error codes a retryable write may retry (the server adds RetryableWriteError). */
const RETRYABLE_WRITE = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'commitTransaction', 'abortTransaction']);
const NAMES = new Set(['failCommand', 'failGetMoreAfterCursorCheckout']);

export class FailPoints {
  private armed = new Map<string, Armed>();

  /** The `configureFailPoint` command. */
  configure(cmd: Document): Document {
    const name = cmd.configureFailPoint;
    if (typeof name !== 'string' || !NAMES.has(name)) throw new MongoServerError(2, `Cannot find failpoint ${String(name)}`);
    const mode = parseMode(cmd.mode);
    const data = (cmd.data ?? {}) as Document;
    if (name === 'failCommand' && mode.kind !== 'off' && !Array.isArray(data.failCommands)) throw new MongoServerError(2, 'failCommand requires data.failCommands');
    if (mode.kind === 'off') this.armed.delete(name);
    else this.armed.set(name, { mode, data });
    return { count: 0, ok: 1 };
  }

  /** Decides whether the command trips a fail point; consumes one activation if so. */
  check(command: string, info: { appName?: string; ns?: string; changeStreamCursor?: boolean; retryableWrite?: boolean }): FailAction | null {
    if (this.armed.size === 0 || command === 'configureFailPoint') return null;
    const fc = this.armed.get('failCommand');
    if (fc && (fc.data.failCommands as string[]).includes(command) && matches(fc.data, info) && this.fire('failCommand', fc)) {
      return action(fc.data, command, info, false);
    }
    const gm = this.armed.get('failGetMoreAfterCursorCheckout');
    if (gm && command === 'getMore' && this.fire('failGetMoreAfterCursorCheckout', gm)) return action(gm.data, command, info, true);
    return null;
  }

  private fire(name: string, a: Armed): boolean {
    const m = a.mode;
    if (m.kind === 'skip') {
      if (m.left > 0) {
        m.left--;
        return false;
      }
      return true;
    }
    if (m.kind === 'times') {
      m.left--;
      if (m.left <= 0) this.armed.delete(name);
    }
    return true;
  }
}

function matches(data: Document, info: { appName?: string; ns?: string }): boolean {
  if (typeof data.appName === 'string' && data.appName !== info.appName) return false;
  if (typeof data.namespace === 'string' && data.namespace !== info.ns) return false;
  return true;
}

/**
 * `afterCheckout`: failGetMoreAfterCursorCheckout fails inside the getMore, where mongod labels a
 * resumable error ResumableChangeStreamError; failCommand fails before the command runs, so its
 * errors carry only what `errorLabels` says (plus RetryableWriteError, added for any command).
 */
function action(data: Document, command: string, info: { changeStreamCursor?: boolean; retryableWrite?: boolean }, afterCheckout: boolean): FailAction {
  const out: FailAction = {
    closeConnection: data.closeConnection === true,
    blockMS: data.blockConnection === true ? Number(data.blockTimeMS ?? 0) : 0,
  };
  if (typeof data.errorCode === 'number') {
    const code = data.errorCode;
    const reply: Document = { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code, codeName: codeName(code) };
    let labels: string[] = [];
    if (Array.isArray(data.errorLabels)) labels = data.errorLabels as string[];
    else {
      if (afterCheckout && command === 'getMore' && info.changeStreamCursor && RESUMABLE.has(code)) labels.push('ResumableChangeStreamError');
      if (WRITE_COMMANDS.has(command) && info.retryableWrite && RETRYABLE_WRITE.has(code)) labels.push('RetryableWriteError');
    }
    if (labels.length) reply.errorLabels = labels;
    out.reply = reply;
  }
  if (data.writeConcernError) out.writeConcernError = data.writeConcernError as Document;
  return out;
}

function parseMode(mode: unknown): Mode {
  if (mode === 'off') return { kind: 'off' };
  if (mode === 'alwaysOn') return { kind: 'alwaysOn' };
  if (mode && typeof mode === 'object') {
    const m = mode as Document;
    if (typeof m.times === 'number' || typeof m.times === 'object') return { kind: 'times', left: Number(m.times) };
    if (typeof m.skip === 'number' || typeof m.skip === 'object') return { kind: 'skip', left: Number(m.skip) };
  }
  throw new MongoServerError(2, `unsupported fail point mode ${JSON.stringify(mode)}`);
}
