// Child process that generates load with autocannon, so the load generator is a process of its own.
// argv[2]: JSON LoadSpec; prints one JSON LoadResult line on stdout.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { createResponseChecker } from './responseCheck.js';
import type { LoadResult, LoadSpec } from './runLoad.js';

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const check = createResponseChecker(JSON.parse(readFileSync(spec.expectedFile, 'utf8')), spec.compare);
const latencies: number[] = [];
let ok = 0;
let wrong = 0;
let firstWrong: string | undefined;

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    maxOverallRequests: spec.maxRequests,
    timeout: 10,
    requests: [
      {
        ...(spec.body === undefined
          ? { method: 'GET', headers: spec.headers }
          : { method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body: spec.body }),
        onResponse: (status: number, body: string) => {
          if (check(status, body)) ok += 1;
          else {
            wrong += 1;
            firstWrong ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    const out: LoadResult = {
      requests: result.requests.total,
      seconds: result.duration,
      requestsPerSecond: result.requests.total / result.duration,
      p50: pct(50),
      p95: pct(95),
      p99: pct(99),
      ok,
      wrong,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      ...(firstWrong ? { firstWrong } : {}),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
);
instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
  latencies.push(responseTime);
});
