// Hand-framed wire messages for tests the driver cannot express: bad input, checksums, moreToCome.
import net from 'node:net';
import { serialize, deserialize, type Document } from 'bson';
import { crc32c } from '../../src/wire/crc32c.js';

/** What came back on a raw connection: a reply (and the request it answers), or the server closed the connection. */
export type RawOutcome = { reply: Document; responseTo: number } | { closed: true };

export interface OpMsgOptions {
  requestId?: number;
  /** OP_MSG flag bits (2 = moreToCome); bit 0 (checksumPresent) is set by `checksum`. */
  flags?: number;
  /** Append a CRC-32C of the message, as drivers may. */
  checksum?: boolean;
}

/** Frames a document as an OP_MSG (section kind 0). */
export function opMsg(doc: Document, options: OpMsgOptions = {}): Buffer {
  return opMsgRaw(Buffer.from(serialize(doc)), options);
}

/** Frames arbitrary bytes as the body section of an OP_MSG (for invalid BSON). */
export function opMsgRaw(body: Buffer, { requestId = 1, flags = 0, checksum = false }: OpMsgOptions = {}): Buffer {
  const header = Buffer.alloc(16 + 4 + 1);
  const length = header.length + body.length + (checksum ? 4 : 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(flags | (checksum ? 1 : 0), 16);
  header.writeUInt8(0, 20);
  const msg = Buffer.concat([header, body, Buffer.alloc(checksum ? 4 : 0)]);
  if (checksum) msg.writeUInt32LE(crc32c(msg, 0, length - 4), length - 4);
  return msg;
}

/** Sends bytes on a fresh connection and waits for one OP_MSG reply or the connection's end. */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 5000): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (v: RawOutcome | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (v instanceof Error) reject(v);
      else resolve(v);
    };
    const timer = setTimeout(() => finish(new Error('no reply and connection still open')), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4) return;
      const len = buf.readInt32LE(0);
      if (buf.length < len) return;
      const opCode = buf.readInt32LE(12);
      if (opCode !== 2013) return finish(new Error(`unexpected reply opCode ${opCode}`));
      finish({ reply: deserialize(buf.subarray(21, len)), responseTo: buf.readInt32LE(8) });
    });
    socket.on('close', () => finish({ closed: true }));
    socket.on('error', () => finish({ closed: true }));
  });
}

/**
 * An insert whose one document is `size` bytes of string, framed by hand (the bson serializer
 * refuses documents this large): OP_MSG with the command in section 0 and the document in a
 * kind-1 document sequence, as drivers send inserts.
 */
export function oversizedInsert(db: string, coll: string, size: number, requestId = 1): Buffer {
  const command = Buffer.from(serialize({ insert: coll, $db: db }));
  const str = Buffer.alloc(size, 0x7a);
  const doc = Buffer.concat([
    int32(0),
    Buffer.from([0x10]), Buffer.from('_id\0'), int32(4),
    Buffer.from([0x02]), Buffer.from('big\0'), int32(str.length + 1), str, Buffer.from([0]),
    Buffer.from([0]),
  ]);
  doc.writeInt32LE(doc.length, 0);
  const ident = Buffer.from('documents\0');
  const seq = Buffer.concat([Buffer.from([1]), int32(4 + ident.length + doc.length), ident, doc]);
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + command.length + seq.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, command, seq]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n, 0);
  return b;
}
