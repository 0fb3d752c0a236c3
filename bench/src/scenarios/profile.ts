import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startFederationFixture } from '../federation/startFederationFixture.js';
import { apolloGateway } from '../federation/systems/apolloGateway.js';
import type { FederationSystem } from '../federation/systems/FederationSystem.js';
import { junctionGateway } from '../federation/systems/junctionGateway.js';
import { runLoad } from '../lib/runLoad.js';
import { profileMarkdown, summariseCpuProfile } from '../profile/topFunctions.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

/**
 * CPU profiles (`node --cpu-prof`) of plain @apollo/gateway and of junction's gateway under the
 * federation load, summarised as the functions and packages with the most self time.
 */
export async function runProfileScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const fixture = await startFederationFixture();
  if ('missing' in fixture) return { markdown: `Skipped: ${fixture.missing}.` };
  const seconds = options.quick ? 3 : 10;
  const parts: string[] = [];
  try {
    for (const system of [apolloGateway, junctionGateway({ merging: false, workers: 1 })] as FederationSystem[]) {
      const dir = path.join(fixture.ctx.workDir, `prof-${system.id}`);
      mkdirSync(dir);
      const running = await system.start({ ...fixture.ctx, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
      let rps = 0;
      try {
        await runLoad({ url: running.url, body: fixture.body, headers: running.headers, connections: 50, durationSeconds: 2, maxRequests: 50_000, expectedFile: fixture.expectedFile });
        const load = await runLoad({ url: running.url, body: fixture.body, headers: running.headers, connections: 50, durationSeconds: seconds, maxRequests: seconds * 20_000, expectedFile: fixture.expectedFile });
        rps = load.requestsPerSecond;
      } finally {
        await running.stop();
      }
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      // The biggest profile is the serving process (tsx may leave a tiny one for its loader).
      const file = files.map((f) => path.join(dir, f)).sort((a, b) => b.length - a.length)[0];
      parts.push(`### ${system.label} (${rps.toFixed(0)} req/s while profiled, 50 connections, ${seconds} s plus start-up)`, '');
      parts.push(file ? profileMarkdown(summariseCpuProfile(file, 15)) : 'No profile was written.', '');
    }
  } finally {
    await fixture.close();
  }
  return {
    markdown: [
      'Self time is a share of the time the gateway process was busy (idle excluded); it includes start-up (supergraph parsing, schema building), which is small next to the load. `npx tsx bench/src/profile/topFunctions.ts <file.cpuprofile>` prints the same summary for any profile.',
      '',
      ...parts,
    ].join('\n'),
  };
}
