import path from 'node:path';
import { freePort } from '../../lib/freePort.js';
import { ManagedProcess, tsxArgs } from '../../lib/ManagedProcess.js';
import type { FederationSystem } from './FederationSystem.js';

/** Plain `@apollo/gateway` + `@apollo/server` standalone, one process. */
export const apolloGateway: FederationSystem = {
  id: 'apollo',
  label: '@apollo/gateway + @apollo/server (plain)',
  workers: 1,
  merging: false,
  async start(ctx) {
    const port = await freePort();
    const proc = new ManagedProcess(
      'apollo-gateway',
      process.execPath,
      tsxArgs(path.join(ctx.repoRoot, 'bench/src/federation/systems/apolloGatewayMain.ts'), [ctx.supergraphFile, String(port)], ctx.nodeFlags),
    );
    await proc.waitForLine(/LISTENING (\S+)/);
    return { url: `http://127.0.0.1:${port}/`, headers: {}, processes: [proc], stop: () => proc.stop() };
  },
};
