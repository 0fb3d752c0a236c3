import path from 'node:path';
import { freePort } from '../../lib/freePort.js';
import { ManagedProcess, tsxArgs } from '../../lib/ManagedProcess.js';
import type { FederationSystem } from './FederationSystem.js';

/** junction's gateway configuration measured in the federation scenario. */
export function junctionGateway(options: { merging: boolean; workers: number }): FederationSystem {
  const id = `junction${options.merging ? '-merging' : ''}${options.workers > 1 ? `-workers${options.workers}` : ''}`;
  const details = [options.merging ? 'in-flight dedup' : null, options.workers > 1 ? `${options.workers} workers` : null].filter(Boolean).join(', ');
  return {
    id,
    label: `junction core${details ? ` (${details})` : ''}`,
    workers: options.workers,
    merging: options.merging,
    async start(ctx) {
      const port = await freePort();
      const proc = new ManagedProcess(
        id,
        process.execPath,
        tsxArgs(path.join(ctx.repoRoot, 'bench/src/federation/systems/junctionCoreMain.ts'), [
          ctx.supergraphFile,
          String(port),
          options.merging ? '1' : '0',
          String(options.workers),
        ], ctx.nodeFlags),
      );
      await proc.waitForLine(/LISTENING (\S+)/);
      return { url: `http://127.0.0.1:${port}/`, headers: {}, processes: [proc], stop: () => proc.stop() };
    },
  };
}
