// Resume tokens: `{ _data: <hex> }` as MongoDB sends them. The hex encodes the oplog position
// (the entry's cluster time) and whether the token is the invalidate event that follows that
// entry, so `resumeAfter` / `startAfter` can continue exactly after it, across restarts.
import { Timestamp, type Document } from 'bson';
import { invalidResumeToken } from './changeStreamErrors.js';

const VERSION = 0x01;

export interface ResumePosition {
  ts: Timestamp;
  /** The token names the invalidate event emitted after the entry at `ts`. */
  invalidate: boolean;
}

export function encodeResumeToken(pos: ResumePosition): { _data: string } {
  const buf = Buffer.alloc(10);
  buf.writeUInt8(VERSION, 0);
  buf.writeUInt32BE(pos.ts.high >>> 0, 1);
  buf.writeUInt32BE(pos.ts.low >>> 0, 5);
  buf.writeUInt8(pos.invalidate ? 1 : 0, 9);
  return { _data: buf.toString('hex').toUpperCase() };
}

/** Parses a token; anything not made by `encodeResumeToken` is MongoDB's InvalidResumeToken (260). */
export function decodeResumeToken(token: unknown): ResumePosition {
  const data = (token as Document | null)?._data;
  if (typeof data !== 'string' || !/^[0-9a-fA-F]{20}$/.test(data)) throw invalidToken(token);
  const buf = Buffer.from(data, 'hex');
  if (buf.readUInt8(0) !== VERSION) throw invalidToken(token);
  const ts = new Timestamp({ t: buf.readUInt32BE(1), i: buf.readUInt32BE(5) });
  return { ts, invalidate: buf.readUInt8(9) === 1 };
}

function invalidToken(token: unknown) {
  return invalidResumeToken(`Invalid resume token: ${JSON.stringify(token)}`);
}
