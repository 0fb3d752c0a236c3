import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/index.js';
import { fromSpecJson } from './fromSpecJson.js';
import { runUnifiedTest, type SpecFile, type TestOutcome } from './runUnifiedTest.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
export const specRoot = path.resolve(repoRoot, '../shared/mongodb-spec-tests');

export interface SuiteOptions {
  /** Folder under ../shared/mongodb-spec-tests and name of the results file. */
  suite: string;
  /** Minimum pass rate over applicable tests, asserted at the end. */
  minPassRate: number;
  /** Files whose every applicable test must pass (the "core" of the suite). */
  coreFiles?: string[];
}

interface FileResult { passed: number; failed: number; notApplicable: number; tests: Array<{ description: string } & TestOutcome> }

/**
 * Declares one jest `describe` per spec file and one `it` per test. A spec test that fails is
 * recorded (and printed) rather than thrown, so that the suite's verdict is the pass rate asserted
 * at the end, as the issue defines it; the results are written to results/<suite>.json.
 */
export function defineSpecSuite(opts: SuiteOptions): void {
  const dir = path.join(specRoot, opts.suite);
  if (!fs.existsSync(dir)) {
    describe(`${opts.suite} spec tests`, () => {
      it.skip(`skipped: ${dir} is absent (the MongoDB spec tests are read from ../shared at test time)`, () => undefined);
    });
    console.log(`[spec] ${dir} not found; the ${opts.suite} spec tests are skipped`);
    return;
  }
  // SPEC_FILTER=<regexp> runs only matching "file: description" pairs (for debugging one test).
  const only = process.env.SPEC_FILTER ? new RegExp(process.env.SPEC_FILTER) : null;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const results = new Map<string, FileResult>();
  let server: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  let internal: MongoClient | undefined;
  let tmp = '';
  const failPoints = new Set<string>();
  const testedDbs = new Set<string>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `spec-${opts.suite}-`));
    server = await startEmbeddedMongo({ dbPath: tmp, port: 0, host: '127.0.0.1' });
    internal = new MongoClient(server.uri);
    await internal.connect();
    // Fail points unlock the retry/resume tests when the server offers them.
    for (const name of ['failCommand', 'failGetMoreAfterCursorCheckout']) {
      const ok = await internal.db('admin').command({ configureFailPoint: name, mode: 'off' }).then(() => true, () => false);
      if (ok) failPoints.add(name);
    }
  }, 30_000);

  afterAll(async () => {
    await internal?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const file of files) {
    const spec = fromSpecJson(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) as SpecFile;
    const fr: FileResult = { passed: 0, failed: 0, notApplicable: 0, tests: [] };
    results.set(file, fr);
    describe(file, () => {
      for (const test of spec.tests.filter((t) => !only || only.test(`${file}: ${t.description}`))) {
        it(test.description, async () => {
          for (const db of databasesOf(spec)) testedDbs.add(db);
          for (const db of databasesOf(spec)) await internal!.db(db).dropDatabase().catch(() => undefined);
          const outcome = await runUnifiedTest(spec, test, { uri: server!.uri, internal: internal!, failPoints });
          fr.tests.push({ description: test.description, ...outcome });
          if (outcome.status === 'passed') fr.passed++;
          else if (outcome.status === 'failed') fr.failed++;
          else fr.notApplicable++;
        });
      }
    });
  }

  it(`${opts.suite}: pass rate over applicable tests is at least ${Math.round(opts.minPassRate * 100)}%`, () => {
    const summary = summarize(opts, results);
    // A filtered (debugging) run must not replace the committed results of the full suite.
    if (!only) {
      fs.mkdirSync(path.join(here, '../results'), { recursive: true });
      fs.writeFileSync(path.join(here, `../results/${opts.suite}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    }
    console.log(report(opts.suite, results, summary));
    expect(summary.totals.passRate).toBeGreaterThanOrEqual(opts.minPassRate);
    for (const core of opts.coreFiles ?? []) {
      const r = results.get(core);
      expect({ file: core, failed: r?.tests.filter((t) => t.status === 'failed') ?? [] }).toEqual({ file: core, failed: [] });
    }
  });
}

function databasesOf(spec: SpecFile): string[] {
  const names = new Set<string>();
  for (const e of spec.createEntities ?? []) if (e.database?.databaseName) names.add(e.database.databaseName);
  for (const d of spec.initialData ?? []) names.add(d.databaseName);
  for (const t of spec.tests) for (const d of t.outcome ?? []) names.add(d.databaseName);
  names.delete('admin');
  return [...names];
}

function summarize(opts: SuiteOptions, results: Map<string, FileResult>) {
  let passed = 0, failed = 0, notApplicable = 0;
  const naReasons: Record<string, number> = {};
  for (const r of results.values()) {
    passed += r.passed; failed += r.failed; notApplicable += r.notApplicable;
    for (const t of r.tests) if (t.status === 'not applicable') naReasons[t.reason!] = (naReasons[t.reason!] ?? 0) + 1;
  }
  const applicable = passed + failed;
  return {
    suite: opts.suite,
    source: 'mongodb/specifications unified tests read from ../shared/mongodb-spec-tests',
    assumedServer: { version: '7.0.0', topology: 'replicaset (one member)' },
    target: { minPassRate: opts.minPassRate, coreFiles: opts.coreFiles ?? [] },
    totals: { tests: applicable + notApplicable, applicable, passed, failed, notApplicable, passRate: applicable === 0 ? 0 : passed / applicable },
    notApplicableReasons: Object.fromEntries(Object.entries(naReasons).sort((a, b) => b[1] - a[1])),
    files: Object.fromEntries([...results].map(([f, r]) => [f, r])),
  };
}

function report(suite: string, results: Map<string, FileResult>, summary: ReturnType<typeof summarize>): string {
  const lines = [`\n=== ${suite} spec tests ===`];
  for (const [file, r] of results) {
    const reasons = [...new Set(r.tests.filter((t) => t.status === 'not applicable').map((t) => t.reason))];
    lines.push(`${file}: ${r.passed} passed / ${r.failed} failed / ${r.notApplicable} not applicable${reasons.length ? ` (${reasons.join('; ')})` : ''}`);
    for (const t of r.tests.filter((x) => x.status === 'failed')) lines.push(`    FAIL ${t.description}: ${t.reason}`);
  }
  const t = summary.totals;
  lines.push(`TOTAL ${suite}: ${t.passed} passed / ${t.failed} failed / ${t.notApplicable} not applicable; pass rate over applicable ${(t.passRate * 100).toFixed(1)}%`);
  return lines.join('\n');
}
