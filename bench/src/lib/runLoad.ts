import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsxArgs } from './ManagedProcess.js';

export interface LoadSpec {
  url: string;
  /** POST with this body when given, else GET. */
  body?: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Hard cap on requests, so every load is bounded in count as well as time. */
  maxRequests: number;
  /** JSON file holding the expected `data` of every response (or the whole body, see `compare`). */
  expectedFile: string;
  /** `data` (default): a GraphQL response whose data equals the file; `body`: the whole JSON body. */
  compare?: 'data' | 'body';
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  /** Responses equal to the expected answer, and the others. */
  ok: number;
  wrong: number;
  errors: number;
  non2xx: number;
  firstWrong?: string;
}

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadWorker.ts');

/** Runs one bounded autocannon load in a separate process and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(spec.url)) throw new Error(`load only on loopback: ${spec.url}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs(workerFile, [JSON.stringify(spec)]), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), (spec.durationSeconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const line = out.trim().split('\n').pop();
      if (code === 0 && line) resolve(JSON.parse(line) as LoadResult);
      else reject(new Error(`load generator failed (${code}): ${err.slice(-2000)}`));
    });
  });
}
