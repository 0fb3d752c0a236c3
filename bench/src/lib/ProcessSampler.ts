import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

interface ProcStat {
  ppid: number;
  cpuTicks: number;
  rssBytes: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after the closing paren are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]), // utime + stime
      rssBytes: Number(fields[21]) * PAGE_SIZE,
    };
  } catch {
    return null;
  }
}

/** Peak RSS the kernel recorded for a process (`VmHWM` of /proc/<pid>/status), in bytes. */
function readPeakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The process and all its descendants (cluster workers, tsx's child node). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface ProcessUsage {
  /** CPU used over the window, in cores (1.0 = one core busy the whole time). */
  cpuCores: number;
  /** Highest summed RSS of the tree seen while sampling, in bytes. */
  peakRssBytes: number;
  /** Highest VmHWM of any single process of the tree (kernel-recorded peak). */
  peakProcessRssBytes: number;
}

/**
 * Samples CPU time and RSS of a process tree from /proc while a load runs, so every system
 * (gateways and subgraphs alike) is measured the same way.
 */
export class ProcessSampler {
  private pids: number[] = [];
  private startTicks = 0;
  private startTime = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly rootPid: number, private readonly intervalMs = 250) {}

  private ticks(): number {
    return this.pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuTicks ?? 0), 0);
  }

  private sampleRss(): void {
    const rss = this.pids.reduce((sum, pid) => sum + (readStat(pid)?.rssBytes ?? 0), 0);
    if (rss > this.peakRss) this.peakRss = rss;
  }

  start(): void {
    this.pids = processTree(this.rootPid);
    this.startTicks = this.ticks();
    this.startTime = performance.now();
    this.peakRss = 0;
    this.sampleRss();
    this.timer = setInterval(() => this.sampleRss(), this.intervalMs);
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    this.sampleRss();
    const seconds = (performance.now() - this.startTime) / 1000;
    const cpuSeconds = (this.ticks() - this.startTicks) / CLOCK_TICKS;
    return {
      cpuCores: seconds > 0 ? cpuSeconds / seconds : 0,
      peakRssBytes: this.peakRss,
      peakProcessRssBytes: Math.max(0, ...this.pids.map(readPeakRss)),
    };
  }
}
