// The MongoDB wire protocol: message framing, OP_MSG (sections, checksum, moreToCome) and the
// legacy OP_QUERY / OP_REPLY pair that old handshakes still use.
import { deserialize, serialize, type Document } from 'bson';
import { crc32c } from './crc32c.js';
import { ErrorCodes, MongoServerError } from '../errors.js';

export const OpCode = {
  OP_REPLY: 1,
  OP_UPDATE: 2001,
  OP_INSERT: 2002,
  OP_QUERY: 2004,
  OP_GET_MORE: 2005,
  OP_DELETE: 2006,
  OP_KILL_CURSORS: 2007,
  OP_COMPRESSED: 2012,
  OP_MSG: 2013,
} as const;

export const MsgFlag = { checksumPresent: 1, moreToCome: 2, exhaustAllowed: 1 << 16 } as const;

export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

// int64 values stay Long (their type survives a round trip); mingo sees them as numbers through
// bson/numeric.ts.
const DESERIALIZE_OPTS = { validation: { utf8: true }, promoteLongs: false } as const;

export interface Request {
  requestId: number;
  opCode: number;
  flags: number;
  /** The command, with OP_MSG document sequences merged in as arrays. */
  command: Document;
  /** Legacy OP_QUERY: reply with OP_REPLY. */
  legacy: boolean;
  /** Sizes of each document sequence entry in bytes, for per-document size checks. */
  sequenceSizes?: Map<string, number[]>;
}

/** Parses one complete message (header included). Throws MongoServerError on malformed input. */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OpCode.OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OpCode.OP_QUERY) return parseOpQuery(msg, requestId);
  if (opCode === OpCode.OP_COMPRESSED) {
    throw new MongoServerError(ErrorCodes.BadValue, 'OP_COMPRESSED is not supported: this server does not negotiate compression');
  }
  throw new MongoServerError(ErrorCodes.BadValue, `Unsupported opCode ${opCode}`);
}

function bsonAt(msg: Buffer, off: number, end: number): [Document, number] {
  if (off + 5 > end) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid message: truncated BSON document');
  const size = msg.readInt32LE(off);
  if (size < 5 || off + size > end) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid message: BSON document size out of bounds');
  if (msg[off + size - 1] !== 0) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid BSON: document not terminated');
  try {
    return [deserialize(msg.subarray(off, off + size), DESERIALIZE_OPTS), size];
  } catch (e) {
    throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid BSON: ' + (e as Error).message);
  }
}

function parseOpMsg(msg: Buffer, requestId: number): Request {
  const flags = msg.readUInt32LE(16);
  // Unknown required flag bits (0-15) must be rejected.
  if (flags & 0xfffc) throw new MongoServerError(ErrorCodes.InvalidOptions, `Unrecognized OP_MSG flag bits: ${flags}`);
  let end = msg.length;
  if (flags & MsgFlag.checksumPresent) {
    if (msg.length < 25) throw new MongoServerError(ErrorCodes.InvalidOptions, 'OP_MSG too short for its checksum');
    end -= 4;
    const expected = msg.readUInt32LE(end);
    if (crc32c(msg, 0, end) !== expected) throw new MongoServerError(ErrorCodes.InvalidOptions, 'OP_MSG checksum mismatch');
  }
  let off = 20;
  let body: Document | undefined;
  const sequences: [string, Document[], number[]][] = [];
  while (off < end) {
    const kind = msg[off++];
    if (kind === 0) {
      if (body) throw new MongoServerError(ErrorCodes.InvalidOptions, 'OP_MSG has more than one body section');
      const [doc, size] = bsonAt(msg, off, end);
      body = doc;
      off += size;
    } else if (kind === 1) {
      if (off + 4 > end) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid OP_MSG document sequence');
      const size = msg.readInt32LE(off);
      const secEnd = off + size;
      if (size < 5 || secEnd > end) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid OP_MSG document sequence size');
      let p = off + 4;
      const zero = msg.indexOf(0, p);
      if (zero < 0 || zero >= secEnd) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid OP_MSG sequence identifier');
      const id = msg.toString('utf8', p, zero);
      p = zero + 1;
      const docs: Document[] = [];
      const sizes: number[] = [];
      while (p < secEnd) {
        const [doc, dsize] = bsonAt(msg, p, secEnd);
        docs.push(doc);
        sizes.push(dsize);
        p += dsize;
      }
      sequences.push([id, docs, sizes]);
      off = secEnd;
    } else {
      throw new MongoServerError(ErrorCodes.InvalidOptions, `Unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new MongoServerError(ErrorCodes.InvalidOptions, 'OP_MSG has no body section');
  let sequenceSizes: Map<string, number[]> | undefined;
  for (const [id, docs, sizes] of sequences) {
    if (id in body) throw new MongoServerError(ErrorCodes.InvalidOptions, `Duplicate field ${id} in OP_MSG body and document sequence`);
    body[id] = docs;
    (sequenceSizes ??= new Map()).set(id, sizes);
  }
  return { requestId, opCode: OpCode.OP_MSG, flags, command: body, legacy: false, sequenceSizes };
}

function parseOpQuery(msg: Buffer, requestId: number): Request {
  const flags = msg.readInt32LE(16);
  const zero = msg.indexOf(0, 20);
  if (zero < 0) throw new MongoServerError(ErrorCodes.InvalidOptions, 'Invalid OP_QUERY collection name');
  const fullName = msg.toString('utf8', 20, zero);
  let off = zero + 1 + 8; // numberToSkip, numberToReturn
  const [query] = bsonAt(msg, off, msg.length);
  off += msg.readInt32LE(off);
  const dot = fullName.indexOf('.');
  const db = dot < 0 ? fullName : fullName.slice(0, dot);
  const coll = dot < 0 ? '' : fullName.slice(dot + 1);
  if (coll !== '$cmd') {
    throw new MongoServerError(ErrorCodes.CommandNotFound, 'OP_QUERY is only supported for commands on $cmd (legacy opcodes were removed in MongoDB 6.0)');
  }
  // Legacy commands may be wrapped as { $query: cmd, $readPreference }.
  let command: Document = query;
  if (query.$query && typeof query.$query === 'object') command = { ...query.$query };
  if (!('$db' in command)) command.$db = db;
  return { requestId, opCode: OpCode.OP_QUERY, flags, command, legacy: true };
}

let nextResponseId = 1;

/** Encodes an OP_MSG (or OP_REPLY for legacy requests) answering `req`. */
export function encodeReply(req: { requestId: number; legacy: boolean }, reply: Document, flags = 0): Buffer {
  const body = serialize(reply);
  const responseId = nextResponseId++ & 0x7fffffff;
  if (req.legacy) {
    const out = Buffer.allocUnsafe(36 + body.length);
    out.writeInt32LE(36 + body.length, 0);
    out.writeInt32LE(responseId, 4);
    out.writeInt32LE(req.requestId, 8);
    out.writeInt32LE(OpCode.OP_REPLY, 12);
    out.writeInt32LE(8, 16); // AwaitCapable
    out.writeBigInt64LE(0n, 20);
    out.writeInt32LE(0, 28);
    out.writeInt32LE(1, 32);
    out.set(body, 36);
    return out;
  }
  const out = Buffer.allocUnsafe(21 + body.length);
  out.writeInt32LE(21 + body.length, 0);
  out.writeInt32LE(responseId, 4);
  out.writeInt32LE(req.requestId, 8);
  out.writeInt32LE(OpCode.OP_MSG, 12);
  out.writeUInt32LE(flags, 16);
  out[20] = 0;
  out.set(body, 21);
  return out;
}
