// The disk refusing writes: a full disk must fail the write with an error (never a silent loss),
// keep the server serving, and accept writes again once space is freed; a read-only data
// directory must stop the server from starting with a clear error.
// A full disk is a real one: a 512 KiB tmpfs, which needs root (mount); without it the test says
// so and is skipped. Read-only: as root, permissions do not bind, so the server runs as `nobody`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { spawnServer } from './support/spawnServer.js';


function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('full disk', () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'em-fulldisk-'));
  const mounted = tryMountTmpfs(mnt, '512k');
  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });
  if (!mounted) console.log('[storageFailures] cannot mount a small tmpfs here (needs root); the full-disk test is skipped');
  const maybe = mounted ? it : it.skip;

  maybe('a write that does not fit fails with an error, nothing acknowledged is lost, and writes resume after space is freed', async () => {
    const dbPath = path.join(mnt, 'db');
    fs.mkdirSync(dbPath);
    const filler = path.join(mnt, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(128 * 1024));
    const server = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    const client = new MongoClient(server.uri, { retryWrites: false });
    const c = client.db('disk').collection<{ _id: number; blob: string }>('c');
    const acked: number[] = [];
    let failure: unknown;
    for (let i = 0; i < 200 && failure === undefined; i++) {
      try {
        await c.insertOne({ _id: i, blob: 'b'.repeat(20 * 1024) });
        acked.push(i);
      } catch (e) {
        failure = e;
      }
    }
    expect(failure).toBeDefined();
    expect(String((failure as Error).message)).toMatch(/ENOSPC|space|disk|write/i);
    const failedId = acked.length;
    // The server still answers, with every acknowledged document and without the failed one.
    expect((await c.find({}, { projection: { _id: 1 }, sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(acked);
    expect(await c.findOne({ _id: failedId })).toBeNull();

    fs.rmSync(filler);
    await c.insertOne({ _id: 1000, blob: 'after' });
    await client.close();
    await server.close();

    const again = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    const c2 = new MongoClient(again.uri);
    const ids = (await c2.db('disk').collection('c').find({}, { projection: { _id: 1 }, sort: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(ids).toEqual([...acked, 1000]);
    await c2.close();
    await again.close();
  });
});

describe('read-only data directory', () => {
  it('refuses to start with an error naming the directory', async () => {
    const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-readonly-'));
    try {
      // Some data first, so the directory is a real data directory.
      const first = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
      const c = new MongoClient(first.uri);
      await c.db('ro').collection('c').insertOne({ _id: 1 as never });
      await c.close();
      await first.close();
      fs.chmodSync(dbPath, 0o555);
      for (const f of fs.readdirSync(dbPath)) fs.chmodSync(path.join(dbPath, f), 0o444);
      if (process.getuid?.() === 0) {
        // Root ignores permissions: run the server as an unprivileged user instead.
        await expect(spawnServer(dbPath, { uid: 65534, gid: 65534 })).rejects.toThrow(new RegExp(escape(dbPath)));
      } else {
        await expect(startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' })).rejects.toThrow(new RegExp(escape(dbPath)));
      }
    } finally {
      fs.chmodSync(dbPath, 0o755);
      fs.rmSync(dbPath, { recursive: true, force: true });
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
