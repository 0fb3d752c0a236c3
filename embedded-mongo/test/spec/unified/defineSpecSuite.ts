import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/index.js';
import { notApplicable } from './applicability.js';
import { DRIVER_DEVIATIONS } from './driverDeviations.js';
import { fromSpecJson } from './fromSpecJson.js';
import { runUnifiedTest, type SpecFile } from './runUnifiedTest.js';
import { SpecResults } from './SpecResults.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
export const specRoot = path.resolve(repoRoot, '../shared/mongodb-spec-tests');

/**
 * Declares one jest `describe` per spec file of `../shared/mongodb-spec-tests/<suite>/` and one
 * jest test per spec test: an applicable test is an `it` that fails on its own when the server
 * misbehaves; a test that does not apply is an `it.skip` whose name carries the reason. There is
 * no aggregated verdict. After a complete run the outcome goes to results/<suite>.json.
 */
export function defineSpecSuite(suite: string): void {
  const dir = path.join(specRoot, suite);
  if (!fs.existsSync(dir)) {
    describe(`${suite} spec tests`, () => {
      it.skip(`not run: ${dir} is absent (the MongoDB spec tests are read from ../shared at test time)`, () => undefined);
    });
    console.log(`[spec] ${dir} not found; the ${suite} spec tests are skipped`);
    return;
  }
  const deviations = DRIVER_DEVIATIONS[suite] ?? {};
  const results = new SpecResults(suite);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const specs = files.map((file) => [file, fromSpecJson(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) as SpecFile] as const);
  let server: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  let internal: MongoClient | undefined;
  let tmp = '';

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `spec-${suite}-`));
    server = await startEmbeddedMongo({ dbPath: tmp, port: 0, host: '127.0.0.1' });
    internal = new MongoClient(server.uri);
    await internal.connect();
  }, 30_000);

  afterAll(async () => {
    await internal?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    console.log(results.report());
    // A partial run (jest -t) must not replace the committed results of the full suite.
    if (results.complete) results.write(path.join(here, `../results/${suite}.json`));
  });

  for (const [file, spec] of specs) {
    describe(file, () => {
      for (const test of spec.tests) {
        const why = notApplicable(spec, test, deviations);
        if (why) {
          results.skipped(file, test.description, why);
          it.skip(`${test.description} [not applicable: ${why.reason}]`, () => undefined);
          continue;
        }
        results.declareApplicable(file);
        it(test.description, async () => {
          for (const db of databasesOf(spec)) await internal!.db(db).dropDatabase().catch(() => undefined);
          try {
            await runUnifiedTest(spec, test, { uri: server!.uri, internal: internal! });
          } catch (err) {
            results.failed(file, test.description, err instanceof Error ? err.message : String(err));
            throw err;
          }
          results.passed(file, test.description);
        });
      }
    });
  }

  // A deviation listed for a test that is gone, renamed or excluded for another reason would be dead
  // weight; the list must name exactly the tests it skips.
  if (Object.keys(deviations).length > 0) {
    it(`every listed Node.js driver deviation names a ${suite} spec test it alone skips`, () => {
      const skippedByDeviation = new Set(
        specs.flatMap(([, spec]) => spec.tests.filter((t) => notApplicable(spec, t, deviations)?.group === 'Node.js driver deviation').map((t) => t.description)),
      );
      expect(Object.keys(deviations).filter((name) => !skippedByDeviation.has(name))).toEqual([]);
    });
  }
}

function databasesOf(spec: SpecFile): string[] {
  const names = new Set<string>();
  for (const e of spec.createEntities ?? []) if (e.database?.databaseName) names.add(e.database.databaseName);
  for (const d of spec.initialData ?? []) names.add(d.databaseName);
  for (const t of spec.tests) for (const d of t.outcome ?? []) names.add(d.databaseName);
  names.delete('admin');
  return [...names];
}
