// One data directory, one server (`src/storage/lockFile.ts`): a second server on the same dbPath
// (in this process or another) fails with a clear error; a lock left behind by a killed server, or
// one whose pid now belongs to a different process, does not block a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { Engine } from '../src/storage/Engine.js';
import { acquireLock, releaseLock } from '../src/storage/lockFile.js';
import { spawnServer } from './support/spawnServer.js';

let dbPath = '';
beforeEach(() => { dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-lock-')); });
afterEach(() => fs.rmSync(dbPath, { recursive: true, force: true }));

describe('the lock file', () => {
  it('takes over a lock whose pid now belongs to a different process (start time differs)', () => {
    // pid 1 is alive, but was not started at "tick 1".
    fs.writeFileSync(path.join(dbPath, 'mongod.lock'), '1 1\n');
    expect(() => acquireLock(dbPath)).not.toThrow();
    releaseLock(dbPath);
    expect(fs.existsSync(path.join(dbPath, 'mongod.lock'))).toBe(false);
  });

  it('refuses a lock held by a live process started at the recorded time', () => {
    const stat = fs.readFileSync('/proc/1/stat', 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    fs.writeFileSync(path.join(dbPath, 'mongod.lock'), `1 ${started}\n`);
    expect(() => acquireLock(dbPath)).toThrow(/in use by another server \(pid 1\)/);
  });

  it('the storage engine refuses a second open of the same directory', async () => {
    const e = await Engine.open({ dbPath });
    await expect(Engine.open({ dbPath })).rejects.toThrow(/in use/);
    await e.close();
  });
});

describe('a server on a locked directory', () => {
  it('a second server in the same process fails with a clear error', async () => {
    const first = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    try {
      await expect(startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' })).rejects.toThrow(/lock|in use|already/i);
      // The first one is unaffected.
      const c = new MongoClient(first.uri);
      expect((await c.db('admin').command({ ping: 1 })).ok).toBe(1);
      await c.close();
    } finally {
      await first.close();
    }
  });

  it('a server in another process holds the directory; after it is killed -9 the directory opens again', async () => {
    const other = await spawnServer(dbPath);
    try {
      await expect(startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' })).rejects.toThrow(/lock|in use|already/i);
    } finally {
      await other.kill('SIGKILL');
    }
    const again = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    await again.close();
  });

  it('after a clean close the directory can be opened again', async () => {
    const a = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    await a.close();
    const b = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
    await b.close();
  });
});
