import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../lib/freePort.js';
import { GATEWAY_NODE_FLAGS } from './gatewayNodeFlags.js';
import { ManagedProcess, tsxArgs } from '../../lib/ManagedProcess.js';
import type { FederationSystem } from './FederationSystem.js';

const alnum = (n: number): string => randomBytes(n).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n).padEnd(n, 'x');

/**
 * junction's gateway as it ships (gateway/src: auth by API key, rate limits counted in MongoDB),
 * with its performance pieces; its embedded MongoDB runs in a process of its own.
 */
export function junctionGateway(options: { merging: boolean; workers: number }): FederationSystem {
  const id = `junction${options.merging ? '-merging' : ''}${options.workers > 1 ? `-workers${options.workers}` : ''}`;
  const details = [options.merging ? 'in-flight dedup' : null, options.workers > 1 ? `${options.workers} workers` : null].filter(Boolean).join(', ');
  return {
    id,
    label: `junction (API key auth + rate limits${details ? `, ${details}` : ''})`,
    workers: options.workers,
    merging: options.merging,
    async start(ctx) {
      if (!existsSync(path.join(ctx.repoRoot, 'embedded-mongo/src/index.ts'))) throw new Error('embedded-mongo/src/index.ts is missing: junction needs its database');
      const database = await ctx.database();
      const port = await freePort();
      const key = `tc_live_sk_${alnum(32)}`;
      const dataDir = path.join(ctx.workDir, `${id}-data`);
      mkdirSync(dataDir, { recursive: true });
      const proc = new ManagedProcess(
        id,
        process.execPath,
        tsxArgs(
          path.join(ctx.repoRoot, 'bench/src/federation/systems/junctionMain.ts'),
          [ctx.supergraphFile, String(port), options.merging ? '1' : '0', String(options.workers), database.uri, dataDir, key, alnum(48)],
          [...GATEWAY_NODE_FLAGS, ...(ctx.nodeFlags ?? [])],
        ),
      );
      const [, url] = await proc.waitForLine(/LISTENING (\S+)/, 120_000);
      return { url: url!, headers: { authorization: `Bearer ${key}` }, processes: [proc, database.process], stop: () => proc.stop() };
    },
  };
}

/** junction's performance pieces over @apollo/gateway without auth or rate limits: the gateway core's cost. */
export function junctionCore(options: { merging: boolean; workers: number }): FederationSystem {
  const id = `junction-core${options.merging ? '-merging' : ''}${options.workers > 1 ? `-workers${options.workers}` : ''}`;
  const details = [options.merging ? 'in-flight dedup' : null, options.workers > 1 ? `${options.workers} workers` : null].filter(Boolean).join(', ');
  return {
    id,
    label: `junction core (no auth, no rate limits${details ? `, ${details}` : ''})`,
    workers: options.workers,
    merging: options.merging,
    async start(ctx) {
      const port = await freePort();
      const proc = new ManagedProcess(
        id,
        process.execPath,
        tsxArgs(
          path.join(ctx.repoRoot, 'bench/src/federation/systems/junctionCoreMain.ts'),
          [ctx.supergraphFile, String(port), options.merging ? '1' : '0', String(options.workers)],
          [...GATEWAY_NODE_FLAGS, ...(ctx.nodeFlags ?? [])],
        ),
      );
      await proc.waitForLine(/LISTENING (\S+)/);
      return { url: `http://127.0.0.1:${port}/`, headers: {}, processes: [proc], stop: () => proc.stop() };
    },
  };
}
