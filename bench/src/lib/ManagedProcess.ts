import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child process the bench starts and stops: its own process group (so cluster workers and
 * tsx's inner node go with it), the tail of its output kept for error messages.
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private output = '';
  private exited = false;

  constructor(readonly name: string, command: string, args: string[], env: Record<string, string> = {}, cwd?: string) {
    this.child = spawn(command, args, {
      cwd,
      env: { ...process.env, NODE_ENV: 'production', APOLLO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('exit', () => {
      this.exited = true;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get recentOutput(): string {
    return this.output;
  }

  /** Resolves with the first stdout line matching `pattern` (e.g. `LISTENING <url>`). */
  waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms\n${this.output}`)), timeoutMs);
      const check = (): void => {
        const match = pattern.exec(this.output);
        if (match) {
          clearTimeout(timer);
          this.child.stdout!.off('data', check);
          resolve(match);
        } else if (this.exited) {
          clearTimeout(timer);
          reject(new Error(`${this.name} exited early:\n${this.output}`));
        }
      };
      this.child.stdout!.on('data', check);
      this.child.on('exit', check);
      check();
    });
  }

  /** Polls `probe` until it returns true (the process serves what it should). */
  async waitUntil(probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited early:\n${this.output}`);
      if (await probe().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name}: not ready within ${timeoutMs} ms\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      process.kill(-this.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5_000);
    await gone;
    clearTimeout(timer);
  }
}

/** `node --import tsx <file>`: runs a TypeScript entry point in one node process. */
export function tsxArgs(file: string, args: string[] = [], nodeFlags: string[] = []): string[] {
  // Resolved here so the child finds tsx whatever its working directory.
  return [...nodeFlags, '--import', import.meta.resolve('tsx'), file, ...args];
}
