import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../federation/benchmarkData.js';
import { ProcessSampler } from '../lib/ProcessSampler.js';
import { runLoad, type LoadResult } from '../lib/runLoad.js';
import { median, medianWithSpread } from '../lib/stats.js';
import type { ScenarioOptions, ScenarioResult } from './Scenario.js';

export interface DomainHeadline {
  restOverGraphql?: number;
  roundTripsConstant?: boolean;
}

const FEDERATED = `query BenchDashboard($userId: ID!, $limit: Int) {
  viewer { id name plan }
  orders(userId: $userId, limit: $limit) {
    data { id status total user { id email name } items { quantity product { id name price } } }
    pagination { total }
  }
}`;

/**
 * junction's own stack with seeded commerce data: a federated query across commerce and auth,
 * `GET /v2/orders` through the REST adapter against the same GraphQL operation, and database
 * round trips per request for 10 and 100 orders.
 */
export async function runDomainScenario(options: ScenarioOptions): Promise<ScenarioResult & { domain?: DomainHeadline }> {
  const needed = ['embedded-mongo/src/index.ts', 'subgraphs/commerce/src/index.ts', 'gateway/src/rest/techcorp-v2/orders.ts'];
  const missing = needed.filter((f) => !existsSync(path.join(repoRoot, f)));
  if (missing.length > 0) return { markdown: `No figures: missing ${missing.map((m) => `\`${m}\``).join(', ')}.` };
  // Imported here so the other scenarios run even while these parts are being built.
  const { startDomainStack } = await import('../domain/startDomainStack.js');
  const { orderRoutes } = await import('../../../gateway/src/rest/techcorp-v2/orders.js');
  const listRoute = orderRoutes.find((r) => r.operationName === 'TechCorpListOrders');
  if (!listRoute) return { markdown: 'No figures: the TechCorp v2 route table has no TechCorpListOrders route.' };

  const stack = await startDomainStack();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'junction-domain-bench-'));
  const auth = { authorization: `Bearer ${stack.key}` };
  const call = async (method: string, p: string, body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(stack.url + p, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  try {
    // Seed: 20 products, one user with 100 orders of two items each.
    const products: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await call('POST', '/v2/products', { name: `Bench product ${i}`, sku: `BENCH-${i}`, price: 10 + i, currency: 'USD', stock: 1_000_000, category: 'bench' });
      products.push(p.id);
    }
    const user = await call('POST', '/v2/users', { email: 'bench@example.com', name: 'Bench User' });
    for (let i = 0; i < 100; i++) {
      await call('POST', '/v2/orders', {
        user_id: user.id,
        currency: 'USD',
        items: [{ product_id: products[i % 20], quantity: 1 }, { product_id: products[(i * 7 + 3) % 20], quantity: 2 }],
        shipping_address: { line1: '1 Bench Street', city: 'Testville', postal_code: '12345', country: 'US' },
      });
    }

    // Database round trips of one request, after a warm-up that caches the API key.
    const graphql = (query: string, variables: Record<string, unknown>) => call('POST', '/graphql', { query, variables });
    // Auth and rate-limit bookkeeping (key cache refresh, reserved blocks) is per request at most,
    // whatever the list; it is shown apart from the commands that fetch the listed entities.
    const bookkeeping = new Set(['api_keys', 'rate_limits']);
    const SAMPLE = 10;
    const roundTrips = async (send: () => Promise<unknown>) => {
      await send();
      stack.resetCommands();
      for (let i = 0; i < SAMPLE; i++) await send();
      const byCollection = new Map<string, number>();
      for (const c of stack.commands) {
        const key = `${c.name} ${c.collection}`.trim();
        byCollection.set(key, (byCollection.get(key) ?? 0) + 1 / SAMPLE);
      }
      return byCollection;
    };
    const trips = {
      fed10: await roundTrips(() => graphql(FEDERATED, { userId: user.id, limit: 10 })),
      fed100: await roundTrips(() => graphql(FEDERATED, { userId: user.id, limit: 100 })),
      rest10: await roundTrips(() => call('GET', `/v2/orders?user_id=${user.id}&limit=10`)),
      rest100: await roundTrips(() => call('GET', `/v2/orders?user_id=${user.id}&limit=100`)),
    };
    const keys = [...new Set(Object.values(trips).flatMap((m) => [...m.keys()]))].sort();
    // These requests only read: writes seen meanwhile are bookkeeping (rate-limit blocks) or
    // background consumers (webhook dispatcher, event offsets), and so is a getMore on a
    // collection no request read (a change stream's poll).
    const READS = new Set(['find', 'aggregate', 'count', 'distinct']);
    const readCollections = new Set(keys.filter((k) => READS.has(k.split(' ')[0] ?? '')).map((k) => k.split(' ')[1]));
    const isData = (k: string): boolean => {
      const [name = '', collection = ''] = k.split(' ');
      if (bookkeeping.has(collection)) return false;
      return READS.has(name) || (name === 'getMore' && readCollections.has(collection));
    };
    const dataTotal = (m: Map<string, number>): number => [...m.entries()].filter(([k]) => isData(k)).reduce((a, [, v]) => a + v, 0);
    const constant = dataTotal(trips.fed10) === dataTotal(trips.fed100) && dataTotal(trips.rest10) === dataTotal(trips.rest100);

    // Load: REST vs the same GraphQL operation, plus the federated query, interleaved.
    const restUrl = `${stack.url}/v2/orders?user_id=${user.id}&limit=100`;
    const restExpected = await call('GET', `/v2/orders?user_id=${user.id}&limit=100`);
    const sameOp = { query: listRoute.document, operationName: listRoute.operationName, variables: { userId: user.id, limit: 100 } };
    const sameOpExpected = (await call('POST', '/graphql', sameOp)).data;
    const fedBody = { query: FEDERATED, variables: { userId: user.id, limit: 100 } };
    const fedExpected = (await call('POST', '/graphql', fedBody)).data;
    const file = (name: string, value: unknown): string => {
      const f = path.join(workDir, name);
      writeFileSync(f, JSON.stringify(value));
      return f;
    };
    const systems = [
      { label: '`GET /v2/orders?user_id=…&limit=100` (REST adapter)', spec: { url: restUrl, expectedFile: file('rest.json', restExpected), compare: 'body' as const } },
      { label: 'the same operation (`TechCorpListOrders`, limit 100) over GraphQL', spec: { url: `${stack.url}/graphql`, body: JSON.stringify(sameOp), expectedFile: file('op.json', sameOpExpected) } },
      { label: 'federated query: auth `viewer` + 100 commerce orders with users and products', spec: { url: `${stack.url}/graphql`, body: JSON.stringify(fedBody), expectedFile: file('fed.json', fedExpected) } },
    ];
    const rounds = options.quick ? 1 : 3;
    const seconds = options.quick ? 2 : 6;
    const connections = 20;
    const results = systems.map(() => [] as Array<{ load: LoadResult; cpuMsPerRequest: number }>);
    for (const [i, s] of systems.entries()) await runLoad({ ...s.spec, headers: auth, connections, durationSeconds: 1, maxRequests: 100_000 });
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < systems.length; j++) {
        const i = (j + round) % systems.length;
        const sampler = new ProcessSampler(process.pid);
        sampler.start();
        const load = await runLoad({ ...systems[i]!.spec, headers: auth, connections, durationSeconds: seconds, maxRequests: seconds * 20_000 });
        const usage = sampler.stop();
        results[i]!.push({ load, cpuMsPerRequest: (usage.cpuCores * load.seconds * 1000) / Math.max(1, load.requests) });
        process.stderr.write(`[domain] round ${round + 1} ${systems[i]!.label}: ${load.requestsPerSecond.toFixed(0)} req/s\n`);
      }
    }
    const rps = (i: number): number => median(results[i]!.map((r) => r.load.requestsPerSecond));
    const cpu = (i: number): number => median(results[i]!.map((r) => r.cpuMsPerRequest));
    const restOverGraphql = rps(1) / rps(0);
    const table = [
      '| Request | req/s | p50 ms | p95 ms | p99 ms | CPU ms per request | wrong/failed responses |',
      '|---|---|---|---|---|---|---|',
      ...systems.map((s, i) => {
        const r = results[i]!;
        const wrong = r.reduce((a, x) => a + x.load.wrong + x.load.errors, 0);
        const n = r.reduce((a, x) => a + x.load.requests, 0);
        return `| ${s.label} | ${medianWithSpread(r.map((x) => x.load.requestsPerSecond))} | ${medianWithSpread(r.map((x) => x.load.p50), 1)} | ${medianWithSpread(r.map((x) => x.load.p95), 1)} | ${medianWithSpread(r.map((x) => x.load.p99), 1)} | ${medianWithSpread(r.map((x) => x.cpuMsPerRequest), 2)} | ${wrong === 0 ? `0 of ${n}` : `**${wrong} of ${n} WRONG**`} |`;
      }),
    ].join('\n');
    const f = (v: number | undefined): string => (v === undefined ? '0' : Number.isInteger(v) ? String(v) : v.toFixed(1));
    const tripTable = [
      '| Database command | federated, 10 orders | federated, 100 orders | REST, 10 orders | REST, 100 orders |',
      '|---|---|---|---|---|',
      ...keys.map((k) => `| \`${k}\`${isData(k) ? '' : ' (bookkeeping / background)'} | ${f(trips.fed10.get(k))} | ${f(trips.fed100.get(k))} | ${f(trips.rest10.get(k))} | ${f(trips.rest100.get(k))} |`),
      `| **entity data, total** | ${f(dataTotal(trips.fed10))} | ${f(dataTotal(trips.fed100))} | ${f(dataTotal(trips.rest10))} | ${f(dataTotal(trips.rest100))} |`,
    ].join('\n');
    const markdown = [
      `Settings: junction in one process as \`npm start\` runs it (gateway with API key auth and rate limits, every registered subgraph, the embedded database), an enterprise key with a high limit; seeded through the REST API with 20 products and one user with 100 orders of two items. ` +
        `Load: autocannon in its own process, ${connections} connections, ${rounds} round(s) of ${seconds} s per request kind, interleaved; medians with (min–max). CPU is this process's (junction's) per request. Every response is compared with the first answer.`,
      '',
      table,
      '',
      `REST / GraphQL cost (same operation, requests/s of GraphQL over REST): **${restOverGraphql.toFixed(2)}** (target ≤ 1.20: ${restOverGraphql <= 1.2 ? 'met' : 'not met'}); by CPU per request: ${(cpu(0) / cpu(1)).toFixed(2)}.`,
      '',
      `Database round trips per request (driver command monitoring, mean of ${SAMPLE} sequential requests after a warm-up; rows marked bookkeeping / background are the API key cache refresh, rate-limit block reservations and background consumers running meanwhile (webhook dispatcher, change-stream polls), not work per listed item):`,
      '',
      tripTable,
      '',
      `Round trips constant in list length: **${constant ? 'yes' : 'no'}** (target: one per entity type per request, whatever the list length).`,
    ].join('\n');
    return { markdown, domain: { restOverGraphql, roundTripsConstant: constant } };
  } finally {
    await stack.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
