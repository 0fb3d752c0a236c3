import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../lib/freePort.js';
import { ManagedProcess } from '../../lib/ManagedProcess.js';
import type { FederationSystem } from './FederationSystem.js';

interface HiveOptions {
  jit: boolean;
  fork: number;
  dedup: boolean;
  /** Node flags for the Hive process (to test it with junction's own GC setting). */
  nodeFlags?: readonly string[];
}

/** `@graphql-hive/gateway` through its own CLI (`hive-gateway supergraph`), as its users run it. */
export function hiveGateway(options: HiveOptions): FederationSystem {
  const parts = [options.jit ? '--jit' : null, options.fork > 1 ? `--fork ${options.fork}` : null, options.dedup ? 'inbound dedup' : null, options.nodeFlags?.length ? `node ${options.nodeFlags.join(' ')}` : null];
  const suffix = parts.filter(Boolean).join(', ');
  return {
    id: `hive${options.jit ? '-jit' : ''}${options.fork > 1 ? `-fork${options.fork}` : ''}${options.dedup ? '-dedup' : ''}${options.nodeFlags?.length ? '-flags' : ''}`,
    label: `Hive Gateway${suffix ? ` (${suffix})` : ''}`,
    workers: options.fork,
    merging: options.dedup,
    async start(ctx) {
      const port = await freePort();
      const configFile = path.join(ctx.workDir, `hive-${port}.config.mjs`);
      // The public benchmark's current Hive config merges identical in-flight requests this way.
      writeFileSync(
        configFile,
        `export const gatewayConfig = ${JSON.stringify({ inboundInflightRequestDeduplication: options.dedup, logging: 'error' })};\n`,
      );
      const args = [
        ...(options.nodeFlags ?? []),
        path.join(ctx.repoRoot, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
        'supergraph',
        ctx.supergraphFile,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--config-path',
        configFile,
        '--fork',
        String(options.fork),
        '--polling',
        '1h',
        ...(options.jit ? ['--jit'] : []),
      ];
      const proc = new ManagedProcess(`hive:${suffix}`, process.execPath, args, {}, ctx.workDir);
      const url = `http://127.0.0.1:${port}/graphql`;
      await proc.waitUntil(async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        return res.ok;
      });
      return { url, headers: {}, processes: [proc], stop: () => proc.stop() };
    },
  };
}
