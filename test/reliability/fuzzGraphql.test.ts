// Property-based fuzzing of POST/GET /graphql: malformed JSON, wrong types for query / variables /
// operationName / extensions, batches, syntax errors, deep and alias-heavy documents, and every
// root field of the served schema (read by introspection, so a new field is fuzzed) called with
// odd or wrongly typed arguments. Checks: never a 5xx, errors as `{errors:[{message, extensions:
// {code}}]}` with a registered code, and refused batches change nothing in the database.
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, getNamedType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { startStack, type Stack } from '../support/startStack.js';
import { changedCollections, snapshotDb } from './dbSnapshot.js';
import { describeRequest, newStats, probe } from './probe.js';
import { encodeAll, headersArb, nastyJson, nastyString } from './restArbitraries.js';
import { reliabilitySeed, writeSection, type Finding } from './ReliabilityReport.js';

/** Findings reported and being fixed by other work (issue 10); each still counts in "failures
 * found". Remove an entry when its fix lands. */
const KNOWN: { match: (f: Finding) => boolean; why: string }[] = [
  { match: (f) => f.what.includes('INTERNAL_ERROR'), why: 'GraphQL client errors (duplicate operation names, a mutation over GET, wrong input types, persisted-query extensions) answer a bare INTERNAL_ERROR; being fixed by the GraphQL client-errors work' },
];
const knownIssue = (f: Finding) => KNOWN.some((k) => k.match(f));

const RUNS = Number(process.env.RELIABILITY_GRAPHQL_RUNS ?? 80);
const seed = reliabilitySeed() + 1_000;
const stats = newStats();
const findings: Finding[] = [];
let refusedBatches = 0;
let stack: Stack;
let schema: GraphQLSchema;

beforeAll(async () => {
  stack = await startStack({ env: { WEBHOOK_DISPATCHER: '0' } });
  const introspection = await stack.graphql(getIntrospectionQuery());
  expect(introspection.status).toBe(200);
  schema = buildClientSchema(introspection.body.data);
  console.log(`reliability GraphQL fuzz: seed ${seed}, ${RUNS} batches`);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await writeSection('graphql', {
    title: 'GraphQL endpoint: fuzzing',
    seed,
    figures: [
      ['root fields fuzzed (from the served schema)', rootFields().length],
      ['requests tried', stats.tried],
      ['refused (4xx)', stats.refused],
      ['answered (1xx–3xx, errors in the body included)', stats.accepted],
      ['refused by the HTTP parser (no junction answer)', stats.parserRefusals],
      ['batches of only refused requests checked against the database', refusedBatches],
      ['answers by status', Object.entries(stats.byStatus).map(([s, c]) => `${s}: ${c}`).join(', ')],
      ['failures found', findings.length],
    ],
    findings,
    notes: KNOWN.map((k) => `Known, being fixed: ${k.why}.`),
  });
});

function rootFields(): { op: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  if (!schema) return [];
  const q = Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ op: 'query' as const, field }));
  const m = Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ op: 'mutation' as const, field }));
  return [...q, ...m];
}

const literal = nastyJson.map((v) => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : typeof v === 'object' ? JSON.stringify(JSON.stringify(v)) : String(v)));

/** A document calling one root field with odd arguments (inline literals or variables). */
function fieldCall(): fc.Arbitrary<{ query: string; variables?: unknown }> {
  const fields = rootFields();
  return fc.constantFrom(...fields).chain(({ op, field }) =>
    fc.record({ values: fc.tuple(...field.args.map(() => fc.oneof(literal, fc.constant(undefined)))), asVariables: fc.boolean(), vars: fc.tuple(...field.args.map(() => nastyJson)) }).map(({ values, asVariables, vars }) => {
      const type = getNamedType(field.type);
      const selection = isObjectType(type) ? ' { __typename }' : '';
      if (asVariables && field.args.length > 0) {
        const decl = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
        const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
        return { query: `${op} Fuzz(${decl}) { ${field.name}(${args})${selection} }`, variables: Object.fromEntries(field.args.map((a, i) => [a.name, vars[i]])) };
      }
      const args = field.args.flatMap((a, i) => (values[i] === undefined ? [] : [`${a.name}: ${values[i]}`])).join(', ');
      return { query: `${op} { ${field.name}${args ? `(${args})` : ''}${selection} }` };
    }),
  );
}

const brokenDocs = () => fc.oneof(
  fc.constantFrom('{', '{ viewer { id }', 'query {}', 'mutation', 'subscription { events { id } }', '{ __schema { types { name } } }', 'fragment A on Query { ...A } { ...A }', '{ viewer @skip(if: $x) { id } }', 'query A { viewer { id } } query A { viewer { id } }', '{ nope }', '\u0000', '{ viewer { id } } # \ud800', '', ' '),
  fc.integer({ min: 50, max: 3000 }).map((n) => '{ viewer { '.repeat(n) + 'id' + ' }'.repeat(n * 2)),
  fc.integer({ min: 10, max: 2000 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`),
  nastyString,
);

const bodyArb = () => fc.oneof(
  { arbitrary: fc.constantFrom('{', 'null', '[]', '"x"', '42', '{"query":', '{"query":null}', '{"query":1}', '{"query":["{ viewer { id } }"]}', '{"query":{"$gt":""}}', '\ufeff{}', 'query=%7B%7D'), weight: 2 },
  {
    arbitrary: fc.record({ doc: fc.oneof(fieldCall(), brokenDocs().map((query): { query: string; variables?: unknown } => ({ query }))), operationName: fc.option(fc.oneof(nastyJson, fc.constant('Fuzz')), { freq: 3 }), variables: fc.option(nastyJson, { freq: 3 }), extensions: fc.option(fc.constantFrom({ persistedQuery: { version: 1, sha256Hash: 'abc' } }, 'x', []), { freq: 5 }) }).map(({ doc, operationName, variables, extensions }) =>
      JSON.stringify({ query: doc.query, ...(doc.variables !== undefined ? { variables: doc.variables } : variables !== null ? { variables } : {}), ...(operationName !== null ? { operationName } : {}), ...(extensions !== null ? { extensions } : {}) }),
    ),
    weight: 8,
  },
  { arbitrary: fc.array(fieldCall(), { maxLength: 60 }).map((ops) => JSON.stringify(ops)), weight: 2 },
);

test('POST and GET /graphql with hostile documents, variables, operation names and batches', async () => {
  const headers = headersArb({ keys: stack.keys, hosts: [] }, undefined).map((h) => ({ ...h, host: `127.0.0.1` }));
  const request = fc.record({ body: bodyArb(), headers, method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT') }).map(({ body, headers, method }) =>
    method === 'GET'
      ? { target: 'graphql GET /graphql', method, path: `/graphql?${Object.entries((() => { try { return JSON.parse(body) as Record<string, unknown>; } catch { return { query: body }; } })() ?? {}).map(([k, v]) => `${encodeAll(k)}=${encodeAll(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&')}`.slice(0, 8000), headers }
      : { target: `graphql ${method} /graphql`, method, path: '/graphql', headers: { 'content-type': 'application/json', ...headers }, body },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 3 }), async (requests) => {
      const snapshot = await snapshotDb(stack.db);
      let allRefused = true;
      for (const r of requests) {
        const answer = await probe(stack.url, r, stats, findings);
        let hasData = false;
        try {
          hasData = answer !== undefined && JSON.parse(answer.text)?.data != null;
        } catch {
          hasData = false;
        }
        if (!answer || (answer.status < 400 && hasData)) allRefused = false;
      }
      if (allRefused) {
        refusedBatches++;
        const changed = changedCollections(snapshot, await snapshotDb(stack.db));
        if (changed) findings.push({ where: 'graphql', input: requests.map(describeRequest).join(' ‖ '), what: `refused requests changed the database: ${changed}` });
      }
      return true;
    }),
    { seed, numRuns: RUNS, endOnFailure: true },
  );
  expect(findings.filter((f) => !knownIssue(f))).toEqual([]);
}, 300_000);
