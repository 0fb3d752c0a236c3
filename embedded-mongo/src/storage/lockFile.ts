// One server per data directory: a lock file holding the owner's pid. A lock left by a process
// that no longer runs (kill -9) is taken over; a live owner is a clear error.
import fs from 'node:fs';
import path from 'node:path';

const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(dbPath: string): void {
  const file = path.join(dbPath, 'mongod.lock');
  if (held.has(dbPath)) throw new Error(`embedded-mongo: data directory ${dbPath} is already in use by this process`);
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) {
      throw new Error(`embedded-mongo: data directory ${dbPath} is in use by another server (pid ${pid}); stop it or choose another --dbpath`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      if ((e as Error).message.startsWith('embedded-mongo:')) throw e;
    }
  }
  try {
    fs.writeFileSync(file, String(process.pid) + '\n');
  } catch (e) {
    throw new Error(`embedded-mongo: cannot write to data directory ${dbPath}: ${(e as Error).message}`);
  }
  held.add(dbPath);
}

export function releaseLock(dbPath: string): void {
  held.delete(dbPath);
  try {
    const file = path.join(dbPath, 'mongod.lock');
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
