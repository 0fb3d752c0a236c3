import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../testSupport.js';
import { acquireLock, releaseLock } from './lockFile.js';

describe('lock file', () => {
  it('takes over a lock whose pid now belongs to a different process (start time differs)', () => {
    const dir = tempDir();
    // pid 1 is alive, but was not started at "tick 1".
    fs.writeFileSync(path.join(dir, 'mongod.lock'), '1 1\n');
    expect(() => acquireLock(dir)).not.toThrow();
    releaseLock(dir);
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
  });
  it('refuses a lock held by a live process started at the recorded time', () => {
    const dir = tempDir();
    const stat = fs.readFileSync('/proc/1/stat', 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    fs.writeFileSync(path.join(dir, 'mongod.lock'), `1 ${started}\n`);
    expect(() => acquireLock(dir)).toThrow(/in use by another server \(pid 1\)/);
  });
});
