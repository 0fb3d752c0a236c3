// The hot-product race (issue 10 §4): N simultaneous `POST /v2/orders` for one product with a
// quarter as many units, on junction's own stack (embedded database, every subgraph, the gateway
// with auth and rate limits, one process), once on a quiet machine and once while busy processes
// keep every core saturated. Records what a legacy client sees (201 / 422 / 5xx counts), the
// throughput of the race and the latency percentiles, and checks the stock ends at exactly 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fixed } from '../lib/stats.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

interface RaceResult {
  orders: number;
  stock: number;
  loaded: boolean;
  counts: Record<number, number>;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  finalStock: number;
}

const ADDRESS = { line1: '1 Bench Street', city: 'Testville', postal_code: '12345', country: 'US' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function startBusyProcesses(n: number): Promise<ChildProcess[]> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.once('data', () => resolve());
    });
    children.push(child);
  }
  return children;
}

export async function runHotProductScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { startDomainStack } = await import('../domain/startDomainStack.js');
  const stack = await startDomainStack();
  const call = async (method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(stack.url + p, { method, headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  const results: RaceResult[] = [];
  try {
    const user = (await call('POST', '/v2/users', { email: 'hot@example.com', name: 'Hot Buyer' })).json;
    const sizes = options.quick ? [200] : [200, 1000];
    let round = 0;
    for (const loaded of [false, true]) {
      const busy = loaded ? await startBusyProcesses(Math.max(2, availableParallelism())) : [];
      try {
        for (const orders of sizes) {
          const stock = orders / 4;
          const product = (await call('POST', '/v2/products', { name: 'Hot', sku: `HOT-${round++}`, price: 10, currency: 'USD', stock })).json;
          const started = performance.now();
          const latencies: number[] = [];
          const statuses = await Promise.all(
            Array.from({ length: orders }, async () => {
              const t0 = performance.now();
              const r = await call('POST', '/v2/orders', { user_id: user.id, items: [{ product_id: product.id, quantity: 1 }], shipping_address: ADDRESS }).catch(() => ({ status: 0 }));
              latencies.push(performance.now() - t0);
              return r.status;
            }),
          );
          const seconds = (performance.now() - started) / 1000;
          const counts: Record<number, number> = {};
          for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
          latencies.sort((a, b) => a - b);
          const finalStock = (await call('GET', `/v2/products/${product.id}`)).json?.stock;
          results.push({ orders, stock, loaded, counts, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? NaN, finalStock });
          console.error(`  ${orders} orders / ${stock} units${loaded ? ' (loaded)' : ''}: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
        }
      } finally {
        for (const child of busy) child.kill('SIGKILL');
      }
    }
  } finally {
    await stack.stop();
  }
  const rows = results.map((r) => {
    const fivexx = Object.entries(r.counts).filter(([s]) => Number(s) >= 500 || Number(s) === 0).reduce((n, [, c]) => n + c, 0);
    return `| ${r.orders} for ${r.stock} units | ${r.loaded ? `+ ${Math.max(2, availableParallelism())} spinning processes` : 'as found'} | ${r.counts[201] ?? 0} | ${r.counts[422] ?? 0} | ${fivexx} | ${r.finalStock} | ${fixed(r.orders / r.seconds, 0)} | ${fixed(r.p50)} | ${fixed(r.p99)} | ${fixed(r.max)} |`;
  });
  return {
    markdown: [
      '',
      'Simultaneous `POST /v2/orders` of one unit each on one product holding a quarter as many units',
      '(all requests sent at once over loopback, one API key; junction in one process on the embedded',
      'database). Throughput is orders answered per second over the whole race; latencies in ms.',
      '"as found" is the machine with whatever else ran on it (see the load average above); the',
      'second row adds one spinning process per core for the race.',
      '',
      '| race | machine | 201 | 422 | 5xx / failed | final stock | orders/s | p50 | p99 | max |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      'Stock is taken by one atomic conditional decrement per product outside any transaction, so',
      'the race has no write conflicts to retry; see `subgraphs/commerce/README.md` (Consistency).',
    ].join('\n'),
  };
}
