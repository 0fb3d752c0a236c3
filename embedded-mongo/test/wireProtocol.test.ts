// The wire protocol beyond what the driver shows: OP_MSG checksums are verified, a moreToCome
// message gets no reply, OP_COMPRESSED is refused (compression is never advertised), and a retried
// write (same lsid and txnNumber) is applied once.
import { Long, UUID } from 'bson';
import { opMsg, sendRaw, type RawOutcome } from './support/rawWire.js';
import { tempServer } from './support/tempServer.js';

let ctx: Awaited<ReturnType<typeof tempServer>>;
beforeAll(async () => {
  ctx = await tempServer('wire');
});
afterAll(async () => ctx?.stop());

const coll = (name: string) => ctx.client.db('wire').collection(name);

function replyOf(outcome: RawOutcome) {
  if ('closed' in outcome) throw new Error('the server closed the connection instead of replying');
  return outcome;
}

it('verifies OP_MSG checksums: a good one is answered, a bad one gets an error reply', async () => {
  const good = replyOf(await sendRaw(ctx.server.port, opMsg({ ping: 1, $db: 'admin' }, { checksum: true })));
  expect(good.reply.ok).toBe(1);
  const bad = opMsg({ ping: 1, $db: 'admin' }, { checksum: true });
  bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
  const refused = replyOf(await sendRaw(ctx.server.port, bad));
  expect(refused.reply).toMatchObject({ ok: 0, errmsg: expect.stringMatching(/checksum/) });
});

it('sends nothing back for a moreToCome message and still applies it', async () => {
  const insert = opMsg({ insert: 'mtc', documents: [{ a: 1 }], $db: 'wire', writeConcern: { w: 0 } }, { requestId: 1, flags: 2 });
  const ping = opMsg({ ping: 1, $db: 'admin' }, { requestId: 2 });
  // On one connection: the first reply that comes back answers the ping, not the insert.
  const first = replyOf(await sendRaw(ctx.server.port, Buffer.concat([insert, ping])));
  expect(first.responseTo).toBe(2);
  expect(first.reply.ok).toBe(1);
  expect(await coll('mtc').countDocuments()).toBe(1);
});

it('refuses OP_COMPRESSED with an error reply', async () => {
  const compressed = opMsg({ ping: 1, $db: 'admin' });
  compressed.writeInt32LE(2012, 12);
  expect(replyOf(await sendRaw(ctx.server.port, compressed)).reply.ok).toBe(0);
  expect((await ctx.client.db('admin').command({ ping: 1 })).ok).toBe(1);
});

it('applies a retried write (same lsid and txnNumber) once', async () => {
  const cmd = { insert: 'retry', documents: [{ a: 1 }], lsid: { id: new UUID() }, txnNumber: Long.fromNumber(1), $db: 'wire' };
  const r1 = replyOf(await sendRaw(ctx.server.port, opMsg(cmd)));
  const r2 = replyOf(await sendRaw(ctx.server.port, opMsg(cmd)));
  expect([r1.reply.n, r2.reply.n]).toEqual([1, 1]);
  expect(await coll('retry').countDocuments()).toBe(1);
  replyOf(await sendRaw(ctx.server.port, opMsg({ ...cmd, txnNumber: Long.fromNumber(2) })));
  expect(await coll('retry').countDocuments()).toBe(2);
});
