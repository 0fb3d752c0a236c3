import { startFederationFixture } from '../src/federation/startFederationFixture.js';
import { junctionCore } from '../src/federation/systems/junctionGateway.js';
import { runLoad } from '../src/lib/runLoad.js';
const f = await startFederationFixture();
if ('missing' in f) throw new Error();
const flagsets = (process.env.FLAGSETS ?? '|--max-semi-space-size=32').split('|').map((s) => (s ? s.split(' ') : []));
const systems = [];
for (const flags of flagsets) systems.push({ flags, r: await junctionCore({ merging: false, workers: 1 }).start({ ...f.ctx, nodeFlags: flags }) });
for (const s of systems) await runLoad({ url: s.r.url, body: f.body, headers: {}, connections: 50, durationSeconds: 3, maxRequests: 1e5, expectedFile: f.expectedFile });
const res: Record<string, number[]> = {};
for (let round = 0; round < 4; round++) for (const s of round % 2 ? [...systems].reverse() : systems) {
  const l = await runLoad({ url: s.r.url, body: f.body, headers: {}, connections: 50, durationSeconds: 5, maxRequests: 1e5, expectedFile: f.expectedFile });
  (res[s.flags.join(' ') || 'none'] ??= []).push(Math.round(l.requestsPerSecond));
}
console.log(res);
for (const s of systems) await s.r.stop();
await f.close();
