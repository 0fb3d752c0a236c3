import net from 'node:net';
import { serialize, deserialize, type Document } from 'bson';

/** What came back on a raw connection: a reply document, or the server closed the connection. */
export type RawOutcome = { reply: Document } | { closed: true };

/** Frames a document as an OP_MSG (section kind 0) with the given request id. */
export function opMsg(doc: Document, requestId = 1): Buffer {
  const body = Buffer.from(serialize(doc));
  return opMsgRaw(body, requestId);
}

/** Frames arbitrary bytes as the body section of an OP_MSG (for invalid BSON). */
export function opMsgRaw(body: Buffer, requestId = 1): Buffer {
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, body]);
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
      finish({ reply: deserialize(buf.subarray(21, len)) });
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
