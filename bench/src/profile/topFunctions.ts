import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface TopFunction {
  name: string;
  location: string;
  selfPercent: number;
}

export interface ProfileSummary {
  top: TopFunction[];
  /** Share of self time by package (node_modules/<pkg>) or area, to see which layer costs. */
  byPackage: Array<{ name: string; selfPercent: number }>;
}

function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^file:\/\//, '').split('/').slice(-3).join('/');
}

/** Reads a `.cpuprofile` (from `node --cpu-prof`) and ranks functions by self time. */
export function summariseCpuProfile(file: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    profile.samples.forEach((nodeId, i) => self.set(nodeId, (self.get(nodeId) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  } else {
    for (const n of profile.nodes) self.set(n.id, n.hitCount ?? 0);
  }
  // Idle time says nothing about where work goes; shares are of the busy time.
  for (const n of profile.nodes) if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') self.delete(n.id);
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, TopFunction>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    if (t === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const location = url ? `${packageOf(url)}:${url.split('/').pop()}:${lineNumber + 1}` : '';
    const key = `${name} ${location}`;
    const entry = byFunction.get(key) ?? { name, location, selfPercent: 0 };
    entry.selfPercent += (100 * t) / total;
    byFunction.set(key, entry);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (100 * t) / total);
  }
  return {
    top: [...byFunction.values()].sort((a, b) => b.selfPercent - a.selfPercent).slice(0, limit),
    byPackage: [...byPackage.entries()]
      .map(([name, selfPercent]) => ({ name, selfPercent }))
      .sort((a, b) => b.selfPercent - a.selfPercent)
      .slice(0, limit),
  };
}

export function profileMarkdown(summary: ProfileSummary): string {
  return [
    '| Function | Where | self time % |',
    '|---|---|---|',
    ...summary.top.map((f) => `| \`${f.name}\` | ${f.location} | ${f.selfPercent.toFixed(1)} |`),
    '',
    '| Package / area | self time % |',
    '|---|---|',
    ...summary.byPackage.map((p) => `| ${p.name} | ${p.selfPercent.toFixed(1)} |`),
  ].join('\n');
}

// CLI: `tsx bench/src/profile/topFunctions.ts <file.cpuprofile> [limit]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [file, limit] = process.argv.slice(2);
  if (!file) {
    console.error('usage: topFunctions <file.cpuprofile> [limit]');
    process.exit(2);
  }
  console.log(profileMarkdown(summariseCpuProfile(file, Number(limit ?? 20))));
}
