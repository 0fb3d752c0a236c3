import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../federation/systems/gatewayNodeFlags.js';
import { firstAnswer, startFederationFixture } from '../federation/startFederationFixture.js';
import { apolloGateway } from '../federation/systems/apolloGateway.js';
import type { FederationContext, FederationSystem, RunningSystem } from '../federation/systems/FederationSystem.js';
import { hiveGateway } from '../federation/systems/hiveGateway.js';
import { junctionCore, junctionGateway } from '../federation/systems/junctionGateway.js';
import type { ManagedProcess } from '../lib/ManagedProcess.js';
import { ProcessSampler, type ProcessUsage } from '../lib/ProcessSampler.js';
import { runLoad, type LoadResult } from '../lib/runLoad.js';
import { fixed, mb, median, medianWithSpread } from '../lib/stats.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

interface Settings {
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  mergingRounds: number;
  rampConnections: number[];
  rampSeconds: number;
}

// Ramp levels stay where a response still fits in a level's duration on a slow shared machine
// (at 200 connections and ~50 req/s a response takes 4 s: longer than a short level).
const FULL: Settings = { connections: 50, warmupSeconds: 4, roundSeconds: 8, rounds: 5, mergingRounds: 3, rampConnections: [10, 25, 50, 100], rampSeconds: 4 };
const QUICK: Settings = { connections: 50, warmupSeconds: 1, roundSeconds: 3, rounds: 1, mergingRounds: 1, rampConnections: [10, 50], rampSeconds: 2 };

interface Round {
  load: LoadResult;
  gateway: ProcessUsage;
  subgraphs: ProcessUsage;
  /** The system's own database process (junction's MongoDB), if it has one. */
  database?: ProcessUsage;
}

interface Phase {
  /** For `--only=<id>`: single, merging or workers. */
  id: string;
  title: string;
  systems: FederationSystem[];
  rounds: number;
  ramp: boolean;
}

interface Measured {
  system: FederationSystem;
  rounds: Round[];
  ramp: Array<{ connections: number; load: LoadResult; gateway: ProcessUsage }>;
  startError?: string;
}

const MAX_RPS = 20_000; // request cap per load = duration × this, far above any figure seen here

async function measure(system: RunningSystem, subgraphs: ManagedProcess, body: string, expectedFile: string, connections: number, seconds: number): Promise<Round> {
  const gatewaySampler = new ProcessSampler(system.processes[0]!.pid);
  const subgraphSampler = new ProcessSampler(subgraphs.pid);
  const databaseSampler = system.processes[1] ? new ProcessSampler(system.processes[1].pid) : undefined;
  gatewaySampler.start();
  subgraphSampler.start();
  databaseSampler?.start();
  const load = await runLoad({
    url: system.url,
    body,
    headers: system.headers,
    connections,
    durationSeconds: seconds,
    maxRequests: seconds * MAX_RPS,
    expectedFile,
  });
  const database = databaseSampler?.stop();
  return { load, gateway: gatewaySampler.stop(), subgraphs: subgraphSampler.stop(), ...(database ? { database } : {}) };
}

function log(message: string): void {
  process.stderr.write(`[federation] ${message}\n`);
}

async function runPhase(phase: Phase, ctx: FederationContext, subgraphs: ManagedProcess, body: string, expectedFile: string, settings: Settings): Promise<Measured[]> {
  const measured: Measured[] = [];
  const running = new Map<FederationSystem, RunningSystem>();
  for (const system of phase.systems) {
    const m: Measured = { system, rounds: [], ramp: [] };
    measured.push(m);
    try {
      log(`starting ${system.label}`);
      const r = await system.start(ctx);
      running.set(system, r);
      const first = await firstAnswer(r, body);
      if (first.status !== 200) log(`${system.label} first answer ${first.status}: ${first.text.slice(0, 200)}`);
      await runLoad({ url: r.url, body, headers: r.headers, connections: settings.connections, durationSeconds: settings.warmupSeconds, maxRequests: settings.warmupSeconds * MAX_RPS, expectedFile });
    } catch (error) {
      m.startError = (error as Error).message.split('\n')[0];
      log(`${system.label} failed to start: ${(error as Error).message.slice(0, 1500)}`);
    }
  }
  try {
    for (let round = 0; round < phase.rounds; round++) {
      // Rotate the order every round so drifting background load hits every system alike.
      const order = measured.map((_, i) => measured[(i + round) % measured.length]!);
      for (const m of order) {
        const r = running.get(m.system);
        if (!r) continue;
        const result = await measure(r, subgraphs, body, expectedFile, settings.connections, settings.roundSeconds);
        m.rounds.push(result);
        log(`round ${round + 1}/${phase.rounds} ${m.system.label}: ${fixed(result.load.requestsPerSecond)} req/s, p95 ${fixed(result.load.p95, 1)} ms, wrong ${result.load.wrong}`);
      }
    }
    if (phase.ramp) {
      for (const connections of settings.rampConnections) {
        for (const m of measured) {
          const r = running.get(m.system);
          if (!r) continue;
          const result = await measure(r, subgraphs, body, expectedFile, connections, settings.rampSeconds);
          m.ramp.push({ connections, load: result.load, gateway: result.gateway });
          log(`ramp ${connections} ${m.system.label}: ${fixed(result.load.requestsPerSecond)} req/s`);
        }
      }
    }
  } finally {
    for (const r of running.values()) await r.stop();
  }
  return measured;
}

const rps = (m: Measured): number => median(m.rounds.map((r) => r.load.requestsPerSecond));
const p95 = (m: Measured): number => median(m.rounds.map((r) => r.load.p95));

function systemTable(measured: Measured[]): string {
  const rows = measured.map((m) => {
    if (m.rounds.length === 0) return `| ${m.system.label} | not measured: ${m.startError ?? 'no rounds'} | | | | | | | | |`;
    const loads = m.rounds.map((r) => r.load);
    const wrong = loads.reduce((s, l) => s + l.wrong + l.errors, 0);
    const total = loads.reduce((s, l) => s + l.requests, 0);
    const peakRss = Math.max(...m.rounds.map((r) => r.gateway.peakRssBytes));
    return [
      m.system.label,
      medianWithSpread(loads.map((l) => l.requestsPerSecond)),
      medianWithSpread(loads.map((l) => l.p50), 1),
      medianWithSpread(loads.map((l) => l.p95), 1),
      medianWithSpread(loads.map((l) => l.p99), 1),
      `${mb(peakRss).toFixed(0)}`,
      medianWithSpread(m.rounds.map((r) => r.gateway.cpuCores), 2),
      medianWithSpread(m.rounds.map((r) => r.subgraphs.cpuCores), 2),
      m.rounds[0]?.database ? medianWithSpread(m.rounds.map((r) => r.database?.cpuCores ?? 0), 2) : '–',
      wrong === 0 ? `0 of ${total}` : `**${wrong} of ${total} WRONG**`,
    ].join(' | ');
  });
  return [
    '| System | req/s | p50 ms | p95 ms | p99 ms | peak RSS MB | gateway CPU (cores) | subgraphs CPU (cores) | database CPU (cores) | wrong/failed responses |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => (r.startsWith('|') ? r : `| ${r} |`)),
  ].join('\n');
}

function rampTable(measured: Measured[], levels: number[]): string {
  const header = `| System | ${levels.map((c) => `${c} conn`).join(' | ')} | knee |`;
  const rows = measured
    .filter((m) => m.ramp.length > 0)
    .map((m) => {
      const best = Math.max(...m.ramp.map((r) => r.load.requestsPerSecond));
      // The knee: the fewest connections reaching 95% of the best throughput; more only adds latency.
      const knee = m.ramp.find((r) => r.load.requestsPerSecond >= 0.95 * best);
      const cells = levels.map((c) => {
        const r = m.ramp.find((x) => x.connections === c);
        return r ? `${fixed(r.load.requestsPerSecond)} req/s, p95 ${fixed(r.load.p95)} ms` : '';
      });
      return `| ${m.system.label} | ${cells.join(' | ')} | ${knee ? `${knee.connections} conn` : ''} |`;
    });
  return [header, `|---|${levels.map(() => '---|').join('')}---|`, ...rows].join('\n');
}

const met = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');

function targetLines(find: (id: string) => Measured | undefined): string[] {
  const lines: string[] = [];
  const pair = (a: string, b: string, what: string, withP95: boolean): void => {
    const [x, y] = [find(a), find(b)];
    const r = ratio(x, y);
    if (r === undefined || !x || !y) {
      lines.push(`${what}: ${met(undefined)}`);
      return;
    }
    const p95Ok = p95(x) <= p95(y);
    const ok = r >= 1 && (!withP95 || p95Ok);
    lines.push(
      `${what}: ${r.toFixed(2)}× (${rps(x).toFixed(0)} vs ${rps(y).toFixed(0)} req/s${withP95 ? `; p95 ${p95(x).toFixed(0)} vs ${p95(y).toFixed(0)} ms` : ''}) — target ≥ 1.0×${withP95 ? ' at equal or lower p95' : ''}: ${met(ok)}`,
    );
  };
  pair('junction', 'hive-jit', 'junction / Hive Gateway --jit, one process, no merging', true);
  pair('junction', 'hive-jit-flags', `junction / Hive Gateway --jit run with junction's node flags (${GATEWAY_NODE_FLAGS.join(' ')})`, true);
  pair('junction-merging', 'hive-jit-dedup', 'junction / Hive Gateway --jit, each with its request merging', false);
  pair('junction-workers2', 'hive-jit-fork2', 'junction / Hive Gateway --jit, two worker processes each', false);
  const junctionRuns = ['junction', 'junction-merging'].map(find).filter((m): m is Measured => !!m && m.rounds.length > 0);
  if (junctionRuns.length > 0) {
    const peak = Math.max(...junctionRuns.flatMap((m) => m.rounds.map((r) => r.gateway.peakRssBytes)));
    const hive = ['hive-jit', 'hive-jit-dedup'].map(find).filter((m): m is Measured => !!m && m.rounds.length > 0);
    const hivePeak = hive.length ? Math.max(...hive.flatMap((m) => m.rounds.map((r) => r.gateway.peakRssBytes))) : undefined;
    lines.push(`junction gateway RSS under load (one process, peak over its rounds): ${mb(peak).toFixed(0)} MB${hivePeak ? ` (Hive --jit: ${mb(hivePeak).toFixed(0)} MB)` : ''} — target ≤ 350 MB: ${met(mb(peak) <= 350)}`);
  }
  return lines;
}

export interface FederationHeadline {
  onePerProcess?: number;
  merging?: number;
  vsApollo?: number;
  workers?: number;
}

function ratio(a: Measured | undefined, b: Measured | undefined): number | undefined {
  if (!a || !b || a.rounds.length === 0 || b.rounds.length === 0) return undefined;
  return rps(a) / rps(b);
}

export async function runFederationScenario(options: ScenarioOptions): Promise<ScenarioResult & { headline: FederationHeadline }> {
  const fixture = await startFederationFixture();
  if ('missing' in fixture) {
    return { markdown: `Skipped: the public benchmark's files are absent (${fixture.missing}).`, headline: {} };
  }
  const settings = options.quick ? QUICK : FULL;
  const { files, ctx, subgraphs, body, expectedFile } = fixture;
  try {
    const phases: Phase[] = [
      {
        id: 'single',
        title: 'One process each, no request merging',
        systems: [
          apolloGateway,
          hiveGateway({ jit: false, fork: 1, dedup: false }),
          hiveGateway({ jit: true, fork: 1, dedup: false }),
          // Hive with junction's node flags too, so the comparison does not hinge on them.
          hiveGateway({ jit: true, fork: 1, dedup: false, nodeFlags: GATEWAY_NODE_FLAGS }),
          junctionGateway({ merging: false, workers: 1 }),
          junctionCore({ merging: false, workers: 1 }),
        ],
        rounds: settings.rounds,
        ramp: true,
      },
      { id: 'merging', title: 'Request merging on (identical in-flight requests share one execution)', systems: [hiveGateway({ jit: true, fork: 1, dedup: true }), junctionGateway({ merging: true, workers: 1 })], rounds: settings.mergingRounds, ramp: false },
      { id: 'workers', title: 'Two worker processes each, no request merging', systems: [hiveGateway({ jit: true, fork: 2, dedup: false }), junctionGateway({ merging: false, workers: 2 })], rounds: settings.mergingRounds, ramp: false },
    ];
    const results: Array<{ phase: Phase; measured: Measured[] }> = [];
    for (const phase of phases) {
      if (options.only && phase.id !== options.only) continue;
      results.push({ phase, measured: await runPhase(phase, ctx, subgraphs, body, expectedFile, settings) });
    }

    // Raw figures first, so a report-formatting problem never costs a run's measurements.
    writeFileSync(path.join(os.tmpdir(), 'junction-bench-federation-last.json'), JSON.stringify(results.map(({ phase, measured }) => ({ phase: phase.id, measured: measured.map((m) => ({ ...m, system: m.system.id })) }))));
    const find = (id: string): Measured | undefined => results.flatMap((r) => r.measured).find((m) => m.system.id === id);
    const headline: FederationHeadline = {
      onePerProcess: ratio(find('junction'), find('hive-jit')),
      merging: ratio(find('junction-merging'), find('hive-jit-dedup')),
      vsApollo: ratio(find('junction'), find('apollo')),
      workers: ratio(find('junction-workers2'), find('hive-jit-fork2')),
    };

    const targets = targetLines(find);
    const sections = results.map(({ phase, measured }) => {
      const parts = [`### ${phase.title}`, '', systemTable(measured)];
      if (phase.ramp) {
        parts.push('', `Ramp (${settings.rampSeconds} s per level, one round, to find each system's knee):`, '', rampTable(measured, settings.rampConnections));
      }
      return parts.join('\n');
    });
    const markdown = [
      `Settings: the public benchmark's supergraph, \`TestQuery\` and data (\`../shared/gateway-benchmark/\`); subgraphs written here (\`bench/src/federation/\`, one node process, each distinct subgraph request executed once with graphql-js and its answer replayed). ` +
        `Constant load: autocannon in its own process, ${settings.connections} connections, ${settings.rounds} rounds of ${settings.roundSeconds} s per system (${settings.mergingRounds} for the merging and worker runs), systems interleaved and the order rotated each round, after ${settings.warmupSeconds} s of warm-up each; figures are medians with (min–max) over rounds. ` +
        `Every response is compared with the reference answer (plain @apollo/gateway's, checked to list ${files.data.users.length} users and 5 top products). Gateway CPU and RSS are summed over the gateway's process tree, sampled from /proc every 250 ms; subgraphs CPU is the subgraph process during the same round. NODE_ENV=production for all.`,
      '',
      'Read with care: the load is the public benchmark\'s, 50 connections sending the same query, so identical subgraph requests are often in flight at once. junction merges those per caller (`gateway/src/subgraphClient/subgraphFetcher.ts`), as Hive Gateway does by default for its upstream requests; with many different queries that gain shrinks. junction runs with its gateway node flags (`bench/src/federation/systems/gatewayNodeFlags.ts`); Hive is shown with and without them. "junction core" is the same gateway without API key auth and rate limits, to show what those features cost.',
      '',
      '### Targets',
      '',
      ...targets.map((t) => `- ${t}`),
      '',
      ...sections.flatMap((s) => [s, '']),
    ].join('\n');
    return { markdown, headline };
  } finally {
    await fixture.close();
  }
}
