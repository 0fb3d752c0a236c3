// Property-based fuzzing of every REST route of every legacy API (read from the route tables) and
// of the public sign-in / OAuth / JWKS endpoints: hostile bodies, query strings, path ids, headers
// and content types. Checks: never a 5xx, every refusal in its API's documented error format, and
// a batch of refused requests changes nothing in the database. Bounded: a fixed number of runs
// per route, fixed seed (printed; RELIABILITY_SEED overrides).
import fc from 'fast-check';
import { startStack, type Stack } from '../support/startStack.js';
import { restApis } from '../../gateway/src/rest/apis.js';
import { changedCollections, snapshotDb } from './dbSnapshot.js';
import { newStats, probe, describeRequest } from './probe.js';
import { requestArb, type FuzzRequest } from './restArbitraries.js';
import { reliabilitySeed, writeSection, type Finding } from './ReliabilityReport.js';
import { publicTargets, restTargets } from './routeInventory.js';

/** Findings reported (RELIABILITY.md, final report) and under investigation, not yet fixed. Each
 * still counts in "failures found"; remove the entry when its fix lands. */
const KNOWN: { match: (f: Finding) => boolean; why: string }[] = [
  {
    match: (f) => /DELETE \S*webhooks\/:webhook_id/.test(f.where) && f.what.includes('changed the database: webhook_endpoints'),
    why: 'DELETE /v1/webhooks/<real id> with a body `{}` and `content-type: ;;;=` is answered 400 by Node\'s HTTP parser (no X-Request-Id, `connection: close`), yet the webhook ends up soft-deleted: the request appears to run although the client was told it was refused (seen with seed 20261202 on the /v1, /v2 and /webhooks tables; alone, the 400 reproduces and the deletion was not seen at once, so it may land after the answer)',
  },
];
const knownIssue = (f: Finding) => KNOWN.some((k) => k.match(f));

const RUNS_PER_TARGET = Number(process.env.RELIABILITY_RUNS_PER_ROUTE ?? 3);
const seed = reliabilitySeed();
const targets = [...restTargets(), ...publicTargets()];
const stats = newStats();
const findings: Finding[] = [];
let batches = 0;
let refusedBatches = 0;
let stack: Stack;
const fixtures: Record<string, string[]> = {};

beforeAll(async () => {
  // No dispatcher: webhooks the fuzzer manages to register must never be called.
  stack = await startStack({ env: { WEBHOOK_DISPATCHER: '0' } });
  const user = await stack.request('POST', '/v2/users', { body: { email: 'fuzz.fixture@example.com', name: 'Fuzz Fixture' } });
  const product = await stack.request('POST', '/v2/products', { body: { name: 'Fuzz Widget', sku: 'FUZZ-1', price: 9.5, currency: 'USD', category: 'widgets', stock: 1000 } });
  const order = await stack.request('POST', '/v2/orders', { body: { user_id: user.body.id, items: [{ product_id: product.body.id, quantity: 1 }], shipping_address: { line1: '1 Rue', city: 'Paris', postal_code: '75001', country: 'FR' } } });
  const webhook = await stack.request('POST', '/v2/webhooks', { body: { url: 'https://hooks.example.com/fuzz', events: ['user.created'] } });
  for (const r of [user, product, order, webhook]) expect(r.status).toBe(201);
  Object.assign(fixtures, { user_id: [user.body.id], product_id: [product.body.id], order_id: [order.body.id], webhook_id: [webhook.body.id], delivery_id: ['dlv_0000000000000000'] });
  console.log(`reliability REST fuzz: seed ${seed}, ${targets.length} routes × ${RUNS_PER_TARGET} batches`);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await writeSection('rest', {
    title: 'REST routes: fuzzing',
    seed,
    figures: [
      ['routes fuzzed (every RestApi table, each prefix and documented host, public endpoints)', targets.length],
      ['requests tried', stats.tried],
      ['refused (4xx)', stats.refused],
      ['accepted (1xx–3xx)', stats.accepted],
      ['refused by the HTTP parser (no junction answer)', stats.parserRefusals],
      ['5xx answers', Object.entries(stats.byStatus).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0)],
      ['batches of only refused requests checked against the database', refusedBatches],
      ['answers by status', Object.entries(stats.byStatus).map(([s, c]) => `${s}: ${c}`).join(', ')],
      ['failures found', findings.length],
    ],
    findings,
    notes: [
      ...KNOWN.map((k) => `Known, under investigation: ${k.why}.`),
      'Known and being fixed by other work (issue 10): GraphQL client errors answering 500, NUL bytes in metadata keys → 500, webhook replay under a wrong id, demand control for huge alias queries, slow-body timeouts, order contention 5xx.',
    ],
  });
});

const headerOptions = () => ({ keys: stack.keys, hosts: restApis.flatMap((a) => a.hosts) });

test.each(targets.map((t, i) => [t.name, i] as const))('%s', async (_name, index) => {
  const target = targets[index]!;
  const before = findings.length;
  const batch = fc.array(requestArb(target, fixtures, headerOptions()), { minLength: 1, maxLength: 3 });
  await fc.assert(
    fc.asyncProperty(batch, async (requests: FuzzRequest[]) => {
      batches++;
      const snapshot = await snapshotDb(stack.db);
      let allRefused = true;
      for (const request of requests) {
        const answer = await probe(stack.url, request, stats, findings);
        if (!answer || answer.status < 400) allRefused = false;
      }
      if (allRefused) {
        refusedBatches++;
        const changed = changedCollections(snapshot, await snapshotDb(stack.db));
        if (changed) findings.push({ where: target.name, input: requests.map(describeRequest).join(' ‖ '), what: `refused requests changed the database: ${changed}` });
      }
      return true;
    }),
    { seed: seed + index, numRuns: RUNS_PER_TARGET, endOnFailure: true },
  );
  expect(findings.slice(before).filter((f) => !knownIssue(f))).toEqual([]);
}, 120_000);
