// The storage engine on its own: WAL replay, torn tails, compaction into a snapshot, the oplog
// across restarts, and undo when the WAL cannot be written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, Unit } from './Engine.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-engine-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function insertMany(e: Engine, ns: string, from: number, to: number): Promise<void> {
  const u = new Unit();
  const c = e.coll(ns) ?? e.createCollection(u, ns);
  for (let i = from; i < to; i++) e.insert(u, c, { _id: i, v: 'x'.repeat(50) });
  await e.commit(u);
}

describe('Engine', () => {
  it('replays the WAL after a restart', async () => {
    const dbPath = tempDir();
    let e = await Engine.open({ dbPath });
    await insertMany(e, 'a.b', 0, 10);
    const u = new Unit();
    const c = e.coll('a.b')!;
    e.replace(u, c, c.getById(3)!, { _id: 3, v: 'changed' }, 'replace');
    e.remove(u, c, c.getById(4)!);
    await e.commit(u);
    await e.close();
    e = await Engine.open({ dbPath });
    expect(e.coll('a.b')!.count).toBe(9);
    expect(e.findDocument('a.b', 3)).toEqual({ _id: 3, v: 'changed' });
    expect(e.oplog.all().map((x) => x.op)).toEqual(['create', ...Array(10).fill('insert'), 'replace', 'delete']);
    await e.close();
  });

  it('discards a torn last record and keeps everything before it', async () => {
    const dbPath = tempDir();
    let e = await Engine.open({ dbPath });
    await insertMany(e, 'a.b', 0, 5);
    await insertMany(e, 'a.b', 5, 10);
    await e.close();
    const wal = fs.readdirSync(dbPath).find((f) => f.startsWith('wal-'))!;
    const file = path.join(dbPath, wal);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 7); // the second record is now torn
    e = await Engine.open({ dbPath });
    expect(e.coll('a.b')!.count).toBe(5);
    await insertMany(e, 'a.b', 100, 101);
    await e.close();
    fs.appendFileSync(file, Buffer.from('garbage after the last record'));
    e = await Engine.open({ dbPath });
    expect(e.coll('a.b')!.count).toBe(6);
    await e.close();
  });

  it('compacts the WAL into a snapshot and restarts from it with the oplog', async () => {
    const dbPath = tempDir();
    let e = await Engine.open({ dbPath, compactBytes: 20_000 });
    for (let i = 0; i < 20; i++) await insertMany(e, 'a.b', i * 50, i * 50 + 50);
    await e.compact(); // may be one that started during the inserts
    await e.compact(); // one that starts now, after every insert
    const files = fs.readdirSync(dbPath);
    expect(files.filter((f) => f.startsWith('snapshot-')).length).toBe(1);
    expect(files.filter((f) => f.startsWith('wal-')).length).toBe(1);
    const walBytes = fs.statSync(path.join(dbPath, files.find((f) => f.startsWith('wal-'))!)).size;
    expect(walBytes).toBeLessThan(20_000 * 2);
    await insertMany(e, 'a.b', 5000, 5001);
    const lastTs = e.oplog.latestTs();
    await e.close();
    e = await Engine.open({ dbPath });
    expect(e.coll('a.b')!.count).toBe(1001);
    expect(e.oplog.latestTs()!.equals(lastTs!)).toBe(true);
    expect(e.oplog.all().length).toBe(1002);
    await e.close();
  });

  it('undoes a write the WAL refused and reports the failure', async () => {
    const dbPath = tempDir();
    const e = await Engine.open({ dbPath });
    await insertMany(e, 'a.b', 0, 1);
    // Make the WAL fail: close its file descriptor behind its back.
    const wal = (e as unknown as { wal: { fd: number } }).wal;
    fs.closeSync(wal.fd);
    await expect(insertMany(e, 'a.b', 1, 2)).rejects.toThrow(/write-ahead log/);
    expect(e.coll('a.b')!.count).toBe(1);
    wal.fd = fs.openSync(path.join(dbPath, fs.readdirSync(dbPath).find((f) => f.startsWith('wal-'))!), 'a+');
    await e.close();
  });
});
