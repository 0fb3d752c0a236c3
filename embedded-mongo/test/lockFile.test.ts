// One data directory, one server: a second server on the same dbPath (in this process or another)
// fails with a clear error, and a lock left behind by a killed server does not block a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.js';
import { spawnServer } from './support/spawnServer.js';


let dbPath = '';
beforeEach(() => { dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'em-lock-')); });
afterEach(() => fs.rmSync(dbPath, { recursive: true, force: true }));

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
