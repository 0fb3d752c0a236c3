import cluster from 'node:cluster';

export interface ClusterOptions {
  /** Worker processes; 1 runs `startWorker` in this process without forking. */
  workers: number;
  /** Starts one serving process (listening on the shared port); resolves with its URL. */
  startWorker(): Promise<{ url: string; close(): Promise<void> }>;
  /** Called once in the primary when every worker listens (and in the single process). */
  onReady?(url: string): void;
  /** Restart a worker that dies unexpectedly (default true). */
  restart?: boolean;
}

/**
 * Runs a server on several worker processes with `node:cluster`: the workers share one
 * listening port (the primary hands out connections round-robin), so a 2-core machine can
 * serve with two gateway processes. The port must be fixed or 0 (then all workers share the
 * one random port the primary picks). SIGTERM on the primary stops every worker gracefully.
 */
export async function runClustered(options: ClusterOptions): Promise<void> {
  if (options.workers <= 1) {
    const server = await options.startWorker();
    options.onReady?.(server.url);
    process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
    return;
  }
  if (cluster.isPrimary) {
    let stopping = false;
    let ready = 0;
    const fork = (): void => {
      const worker = cluster.fork();
      worker.on('message', (message: { listening?: string }) => {
        if (message.listening && ++ready === options.workers) options.onReady?.(message.listening);
      });
    };
    for (let i = 0; i < options.workers; i++) fork();
    cluster.on('exit', () => {
      if (!stopping && options.restart !== false) fork();
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
    process.once('SIGTERM', () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    });
    return;
  }
  const server = await options.startWorker();
  process.send?.({ listening: server.url });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
