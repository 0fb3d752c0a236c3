// The embedded database's benchmark rows for BENCHMARKS.md (called by `npm run bench` for the
// `db` scenario, or directly: `npx tsx embedded-mongo/bench/dbBench.ts`). Each row is measured
// in this one run on this machine; read the ratios.
//   DB_BENCH_DOCS (default 1000000): size of the large collection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { Query } from 'mingo';
import { startEmbeddedMongo } from '../src/index.js';

interface Row {
  what: string;
  value: string;
  note: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

const smallDoc = (i: number) => ({ _id: i, email: `user${i}@example.com`, name: `User ${i}`, n: i % 100, active: i % 3 === 0 });

async function load(c: Collection<any>, from: number, to: number, batch = 10_000): Promise<number> {
  const t = performance.now();
  for (let i = from; i < to; i += batch) {
    const docs: Document[] = [];
    for (let j = i; j < Math.min(to, i + batch); j++) docs.push(smallDoc(j));
    await c.insertMany(docs, { ordered: false });
  }
  return performance.now() - t;
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

export async function runDbBench(): Promise<{ markdown: string }> {
  const big = Number(process.env.DB_BENCH_DOCS ?? 1_000_000);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-bench-'));
  const rows: Row[] = [];
  const server = await startEmbeddedMongo({ dbPath: path.join(dir, 'fsync') });
  const client = new MongoClient(server.uri, { maxPoolSize: 4 });
  try {
    await client.connect();
    const c = client.db('bench').collection<any>('users');
    const small = 10_000;
    const tLoad = await load(c, 0, small, 1000);
    await c.createIndex({ email: 1 });

    // findOne by _id through the driver vs the same lookup in-process with mingo (the floor).
    const docs = Array.from({ length: small }, (_, i) => smallDoc(i));
    await timeEach(2000, (i) => c.findOne({ _id: i % small }));
    const driverId = await timeEach(5000, (i) => c.findOne({ _id: (i * 7919) % small }));
    const mingoId = await timeEach(5000, (i) => new Query({ _id: (i * 7919) % small }).find(docs).next());
    const engineColl = server.server.engine.coll('bench.users')!;
    const engineId = await timeEach(5000, (i) => engineColl.getById((i * 7919) % small));
    rows.push({ what: 'findOne by _id, driver round trip (median / p99)', value: `${ms(median(driverId))} / ${ms(pct(driverId, 0.99))}`, note: `target < 0.3 ms median; ${small.toLocaleString('en')} docs` });
    rows.push({ what: 'same lookup in-process with mingo over an array (median)', value: ms(median(mingoId)), note: `driver / mingo = ${(median(driverId) / median(mingoId)).toFixed(2)} (mingo scans the array)` });
    rows.push({ what: 'same lookup in-process in the engine\'s _id index, no wire (median)', value: ms(median(engineId)), note: `driver / engine = ${(median(driverId) / median(engineId)).toFixed(0)}: the rest is driver + wire + event loop` });

    // Indexed equality at 10k, then at `big`.
    await timeEach(1000, (i) => c.findOne({ email: `user${i % small}@example.com` }));
    const idx10k = await timeEach(3000, (i) => c.findOne({ email: `user${(i * 7919) % small}@example.com` }));
    const heapBefore = process.memoryUsage();
    const tBig = await load(c, small, big);
    const heapAfter = process.memoryUsage();
    const idxBig = await timeEach(3000, (i) => c.findOne({ email: `user${(i * 104729) % big}@example.com` }));
    const ratio = median(idxBig) / median(idx10k);
    rows.push({ what: `indexed equality findOne at 10,000 docs (median)`, value: ms(median(idx10k)), note: '' });
    rows.push({ what: `indexed equality findOne at ${big.toLocaleString('en')} docs (median)`, value: ms(median(idxBig)), note: `ratio ${ratio.toFixed(2)} (< 2 means the index is used, not a scan)` });
    const explain = await client.db('bench').command({ explain: { find: 'users', filter: { email: 'user5@example.com' } }, verbosity: 'executionStats' });
    rows.push({ what: 'documents examined by that lookup (explain)', value: String(explain.executionStats.totalDocsExamined), note: `plan ${explain.queryPlanner.winningPlan.inputStage?.stage ?? explain.queryPlanner.winningPlan.stage}` });
    const perSec = ((big - small) / tBig) * 1000;
    rows.push({ what: 'bulk insert, fsync per batch of 10,000 (docs/s)', value: Math.round(perSec).toLocaleString('en'), note: `${((big - small) / 1000).toFixed(0)}k docs in ${(tBig / 1000).toFixed(1)} s; first 10k in batches of 1,000: ${Math.round((small / tLoad) * 1000).toLocaleString('en')} docs/s` });
    rows.push({
      what: `memory for ${big.toLocaleString('en')} small documents + 2 indexes (whole process)`,
      value: `RSS ${mb(heapAfter.rss)}`,
      note: `heap used ${mb(heapAfter.heapUsed)} (grew ${mb(heapAfter.heapUsed - heapBefore.heapUsed)} while loading); target ≤ 2 GiB`,
    });
    const countT = performance.now();
    const n = await c.countDocuments({ n: 42, active: true });
    rows.push({ what: `unindexed filter over ${big.toLocaleString('en')} docs (countDocuments)`, value: `${(performance.now() - countT).toFixed(0)} ms`, note: `${n} matches: a collection scan, for scale` });
  } finally {
    await client.close();
    await server.close();
  }

  // Bulk insert with and without fsync per batch (same code path, the WAL's fsync switched off),
  // alternating rounds so both see the same machine state.
  const noSync = await startEmbeddedMongo({ dbPath: path.join(dir, 'nofsync'), fsync: false });
  const withSync = await startEmbeddedMongo({ dbPath: path.join(dir, 'fsync2') });
  const c1 = new MongoClient(noSync.uri);
  const c2 = new MongoClient(withSync.uri);
  try {
    const n = 20_000;
    const tNo: number[] = [];
    const tYes: number[] = [];
    for (let round = 0; round < 3; round++) {
      tNo.push(await load(c1.db('b').collection('x'), round * n, (round + 1) * n, 500));
      tYes.push(await load(c2.db('b').collection('x'), round * n, (round + 1) * n, 500));
    }
    const rate = (t: number) => Math.round((n / t) * 1000).toLocaleString('en');
    rows.push({
      what: 'bulk insert, batches of 500: without fsync / with fsync per batch (docs/s, median of 3)',
      value: `${rate(median(tNo))} / ${rate(median(tYes))}`,
      note: `fsync costs ${(((median(tYes) - median(tNo)) / (n / 500)) ).toFixed(2)} ms per batch here`,
    });
  } finally {
    await c1.close();
    await c2.close();
    await noSync.close();
    await withSync.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const lines = [
    `Embedded database (\`embedded-mongo/bench/dbBench.ts\`), ${((Date.now() - started) / 1000).toFixed(0)} s. One server in this process (client and server share the event loop and the 2 cores), data directory on local disk, WAL fsync on unless stated.`,
    '',
    '| measurement | value | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.note} |`),
  ];
  return { markdown: lines.join('\n') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runDbBench().then((r) => console.log(r.markdown));
}
