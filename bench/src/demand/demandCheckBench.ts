// What demand control costs per request, on the federation benchmark's query and supergraph:
// check() (bounded parse + shape limits + cost estimate) against the parse + validate every
// request pays anyway. Run: npx tsx bench/src/demand/demandCheckBench.ts [iterations]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, validate, type DocumentNode } from 'graphql';
import { createDemandControl } from '../../../gateway/src/demand/createDemandControl.js';

const dir = process.env.GATEWAY_BENCHMARK_DIR ?? '/work/shared/gateway-benchmark';
const iterations = Number(process.argv[2] ?? 3_000);
const supergraphSdl = readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
const query = readFileSync(path.join(dir, 'query.graphql'), 'utf8');
const demand = createDemandControl({ supergraphSdl });
const schema = demand.schema;

function time(label: string, fn: () => unknown): { label: string; medianUs: number; meanUs: number } {
  for (let i = 0; i < Math.min(500, iterations); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { label, medianUs: Number(samples[Math.floor(samples.length / 2)]!.toFixed(1)), meanUs: Number(mean.toFixed(1)) };
}

const parsed: DocumentNode = parse(query);
const checked = demand.check(query, { plan: 'enterprise' });
if (!checked.ok) throw new Error(`benchmark query refused: ${checked.code} ${checked.message}`);

const results = [
  time('parse', () => parse(query)),
  time('parse + validate', () => validate(schema, parse(query))),
  time('check(string): bounded parse + limits + cost', () => demand.check(query, { plan: 'enterprise' })),
  time('check(document): limits + cost on a parsed document', () => demand.check(parsed, { plan: 'enterprise' })),
];
const [, parseValidate, checkString, checkDocument] = results;
console.log(
  JSON.stringify(
    {
      query: 'gateway-benchmark TestQuery',
      iterations,
      estimatedCost: checked.estimatedCost,
      results,
      // The pipeline parses once: check(string) replaces its parse, so the added work is check(document).
      ratioCheckStringToParseValidate: Number((checkString!.medianUs / parseValidate!.medianUs).toFixed(2)),
      ratioCheckDocumentToParseValidate: Number((checkDocument!.medianUs / parseValidate!.medianUs).toFixed(2)),
    },
    null,
    2,
  ),
);
