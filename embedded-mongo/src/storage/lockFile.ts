// One server per data directory: a lock file holding the owner's pid and its process start time.
// A lock left by a process that no longer runs (kill -9), or whose pid now belongs to another
// process (start time differs, e.g. after a reboot), is taken over; a live owner is a clear error.
import fs from 'node:fs';
import path from 'node:path';

const held = new Set<string>();

/** The process's start time in clock ticks since boot (Linux), or '' where unknown. */
function startTime(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

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
  let content = '';
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    /* no lock file */
  }
  const [pidText, started] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (pid && pid !== process.pid && alive(pid) && (!started || !startTime(pid) || startTime(pid) === started)) {
    throw new Error(`embedded-mongo: data directory ${dbPath} is in use by another server (pid ${pid}); stop it or choose another --dbpath`);
  }
  try {
    fs.writeFileSync(file, `${process.pid} ${startTime(process.pid)}\n`);
  } catch (e) {
    throw new Error(`embedded-mongo: cannot write to data directory ${dbPath}: ${(e as Error).message}`);
  }
  held.add(dbPath);
}

export function releaseLock(dbPath: string): void {
  held.delete(dbPath);
  try {
    const file = path.join(dbPath, 'mongod.lock');
    if (fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0] === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
