import os from 'node:os';

/** The facts that make figures comparable (or not) between machines. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${os.availableParallelism()} cores available`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- Node ${process.version} on ${os.type()} ${os.release()} (${os.arch()})`,
  ].join('\n');
}
