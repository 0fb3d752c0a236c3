// Saturates the machine's cores with busy child processes, so a test shows how the system behaves
// on a loaded CI runner. The children are killed by `stop()` (and die with the test process).
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuLoad {
  /** How many busy processes run. */
  processes: number;
  stop(): Promise<void>;
}

export async function startCpuLoad(processes = Math.max(2, availableParallelism())): Promise<CpuLoad> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    // The child says it is up before spinning, so the load is on when this returns.
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.once('data', () => resolve());
    });
  }
  return {
    processes,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
