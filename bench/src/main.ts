// `npm run bench [-- <scenario>...] [--quick]`: runs the scenarios and rewrites their sections of BENCHMARKS.md.
import path from 'node:path';
import { repoRoot } from './federation/benchmarkData.js';
import { BenchmarksFile } from './lib/BenchmarksFile.js';
import { describeMachine } from './lib/machine.js';
import { runDbScenario } from './scenarios/db.js';
import { runDomainScenario } from './scenarios/domain.js';
import { runFederationScenario, type FederationHeadline } from './scenarios/federation.js';
import { runProfileScenario } from './scenarios/profile.js';
import type { ScenarioOptions, ScenarioResult } from './scenarios/Scenario.js';
import { runSubscriptionsScenario } from './scenarios/subscriptions.js';
import { runHotProductScenario } from './scenarios/hotProduct.js';

const SCENARIOS: Record<string, (o: ScenarioOptions) => Promise<ScenarioResult & { headline?: FederationHeadline }>> = {
  federation: runFederationScenario,
  profile: runProfileScenario,
  domain: runDomainScenario,
  db: runDbScenario,
  subscriptions: runSubscriptionsScenario,
  'hot-product': runHotProductScenario,
};

const INTRO = `# Benchmarks

Written by \`npm run bench\` (\`bench/\`); \`npm run bench -- <scenario>\` reruns one section
(${Object.keys(SCENARIOS).map((s) => `\`${s}\``).join(', ')}), \`--quick\` makes a smoke run of short rounds.
Ratios come from systems measured side by side in one run on one machine; absolute figures
depend on the machine and on what else runs on it, so read the ratios and the spreads.`;

const fmt = (v: number | undefined): string => (v === undefined ? 'n/a' : v.toFixed(2));

function headlineLines(h: FederationHeadline, quick: boolean): string[] {
  return [
    `junction / Hive Gateway (federation, one process, requests/s): ${fmt(h.onePerProcess)}`,
    `junction / Hive Gateway (federation, request merging, requests/s): ${fmt(h.merging)}`,
    `junction / @apollo/gateway (federation, one process, requests/s): ${fmt(h.vsApollo)}`,
    `junction / Hive Gateway (federation, two workers each, requests/s): ${fmt(h.workers)}`,
    ...(quick ? ['(from a `--quick` smoke run: one short round per system, not a measurement to quote)'] : []),
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  // `--only=<word>`: only the phases of a scenario whose title contains the word (e.g. merging).
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).toLowerCase();
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : Object.keys(SCENARIOS);
  const file = new BenchmarksFile(path.join(repoRoot, 'BENCHMARKS.md'), Object.keys(SCENARIOS));
  for (const name of selected) {
    const started = Date.now();
    console.error(`== ${name}${quick ? ' (quick)' : ''}`);
    let result: ScenarioResult & { headline?: FederationHeadline };
    try {
      result = await SCENARIOS[name]!({ quick, ...(only ? { only } : {}) });
    } catch (error) {
      console.error(error);
      result = { markdown: `The run failed: ${(error as Error).message.split('\n')[0]}` };
    }
    const header = [
      `## ${name}`,
      '',
      `Run ${new Date().toISOString()}${quick ? ' (`--quick` smoke run)' : ''}, ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      '',
      describeMachine(),
      '',
    ].join('\n');
    file.setSection(name, header + result.markdown);
    if (result.headline) file.setHeadline(headlineLines(result.headline, quick));
    file.save(INTRO);
    console.error(`== ${name} done`);
  }
}

await main();
