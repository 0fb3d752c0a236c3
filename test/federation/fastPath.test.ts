// Federation compatibility of the fast-path pieces: the same operations through plain
// @apollo/gateway and through the gateway with the undici fetcher and in-flight dedup must give
// identical responses — data, errors, error messages and extensions.
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import net from 'node:net';
import { startBenchmarkSubgraphServer } from '../../bench/src/federation/benchmarkSubgraphServer.js';
import { loadBenchmarkFiles } from '../../bench/src/federation/benchmarkData.js';
import { buildBenchmarkSubgraphs } from '../../bench/src/federation/benchmarkSubgraphs.js';
import { createUndiciFetcher } from '../../gateway/src/subgraphClient/createUndiciFetcher.js';
import { subgraphDedupKey } from '../../gateway/src/subgraphClient/subgraphFetcher.js';
import { federationFixtures, fixtureOperations } from '../fixtures/federationFixtures.js';
import { withInflightDedup } from '../../gateway/src/dedup/withInflightDedup.js';
import { printSubgraphSchema } from '@apollo/subgraph';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

type Ctx = { principal: string };

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

interface Setup {
  plain: ApolloServer<Ctx>;
  fast: ApolloServer<Ctx>;
  dedup: ReturnType<typeof withInflightDedup<Ctx>>;
  stop(): Promise<void>;
}

async function setup(subgraphs: Array<{ name: string; schema: import('graphql').GraphQLSchema }>, extraUrls: Record<string, string> = {}, extraSdl: Record<string, string> = {}): Promise<Setup> {
  const server = await startBenchmarkSubgraphServer(Object.fromEntries(subgraphs.map((s) => [s.name, s.schema])), { cacheResponses: false });
  const composed = composeServices([
    ...subgraphs.map((s) => ({ name: s.name, url: `${server.url}/${s.name}`, typeDefs: parse(printSubgraphSchema(s.schema)) })),
    ...Object.entries(extraSdl).map(([name, sdl]) => ({ name, url: extraUrls[name]!, typeDefs: parse(sdl) })),
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const supergraphSdl = composed.supergraphSdl;
  const plain = new ApolloServer<Ctx>({ gateway: new ApolloGateway({ supergraphSdl }) });
  // The fetcher as junction ships it: undici pools plus outbound in-flight dedup.
  const fetcher = createUndiciFetcher({ dedupKey: subgraphDedupKey });
  const dedup = withInflightDedup<Ctx>(
    new ApolloGateway({ supergraphSdl, buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher }) }),
    { principalOf: (ctx) => ctx.principal },
  );
  const fast = new ApolloServer<Ctx>({ gateway: dedup });
  await plain.start();
  await fast.start();
  return {
    plain,
    fast,
    dedup,
    async stop() {
      await plain.stop();
      await fast.stop();
      await fetcher.close();
      await server.close();
    },
  };
}

async function run(server: ApolloServer<Ctx>, query: string, variables?: Record<string, unknown>, principal = 'acct-1') {
  const res = await server.executeOperation({ query, variables }, { contextValue: { principal } });
  if (res.body.kind !== 'single') throw new Error('expected a single result');
  return { status: res.http.status, body: res.body.singleResult };
}

describe('fast path keeps Federation semantics (fixtures)', () => {
  let s: Setup;
  const missingSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Product @key(fields: "id") { id: ID!  stock: Int }`;
  const brokenSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { brokenField: String }`;

  beforeAll(async () => {
    const down = await closedPort();
    const fixtures = federationFixtures();
    const probe = await startBenchmarkSubgraphServer({}, {});
    const notFoundUrl = `${probe.url}/missing`;
    s = await setup(fixtures, { inventory: `http://127.0.0.1:${down}/inventory`, broken: notFoundUrl }, { inventory: missingSdl, broken: brokenSdl });
    afterAllStops.push(() => probe.close());
  });
  const afterAllStops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await s.stop();
    for (const stop of afterAllStops) await stop();
  });

  it('the plain gateway answers the fixtures as Federation says (sanity of the reference)', async () => {
    const requires = await run(s.plain, '{ products { id shippingCost } }');
    expect(requires.body.data).toEqual({ products: [{ id: 'p1', shippingCost: 6 }, { id: 'p2', shippingCost: 0 }] });
    const provides = await run(s.plain, '{ products { reviews { author { name } } } }');
    expect(JSON.stringify(provides.body.data)).toContain('(from reviews)');
    const entityError = await run(s.plain, '{ products { id secretCode } }');
    expect(entityError.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each(fixtureOperations.map((o) => [o.name, o] as const))('%s: same response', async (_name, op) => {
    const [plain, fast] = [await run(s.plain, op.query, op.variables), await run(s.fast, op.query, op.variables)];
    expect(fast).toEqual(plain);
  });

  it('an unreachable subgraph gives the same error', async () => {
    const query = '{ products { id stock } }';
    const [plain, fast] = [await run(s.plain, query), await run(s.fast, query)];
    expect(plain.body.errors?.[0]?.message).toMatch(/ECONNREFUSED/);
    expect(fast).toEqual(plain);
  });

  it('a subgraph answering 404 gives the same error', async () => {
    const query = '{ brokenField }';
    const [plain, fast] = [await run(s.plain, query), await run(s.fast, query)];
    expect(plain.body.errors?.[0]?.message).toMatch(/404/);
    expect(fast).toEqual(plain);
  });

  it('merges identical concurrent queries of one principal, never across principals (mutations: see inflightKey tests)', async () => {
    const query = '{ users { name reviews { body } } }';
    const before = s.dedup.deduplicator.merged;
    const same = await Promise.all(Array.from({ length: 5 }, () => run(s.fast, query)));
    const reference = await run(s.plain, query);
    for (const r of same) expect(r).toEqual(reference);
    expect(s.dedup.deduplicator.merged - before).toBe(4);

    const mergedBefore = s.dedup.deduplicator.merged;
    await Promise.all([run(s.fast, query, undefined, 'acct-1'), run(s.fast, query, undefined, 'acct-2')]);
    expect(s.dedup.deduplicator.merged).toBe(mergedBefore);
  });
});

const files = loadBenchmarkFiles();
const describeBenchmark = 'missing' in files ? describe.skip : describe;
if ('missing' in files) console.warn(`skipping the public benchmark's query: ${files.missing}`);

describeBenchmark("fast path keeps Federation semantics (the public benchmark's query)", () => {
  let s: Setup;
  beforeAll(async () => {
    if ('missing' in files) return;
    const schemas = buildBenchmarkSubgraphs(files.data);
    s = await setup(Object.entries(schemas).map(([name, schema]) => ({ name, schema })));
  });
  afterAll(() => s?.stop());

  it('answers TestQuery exactly like plain @apollo/gateway', async () => {
    if ('missing' in files) return;
    const [plain, fast] = [await run(s.plain, files.query), await run(s.fast, files.query)];
    expect(plain.body.errors).toBeUndefined();
    expect((plain.body.data as { users: unknown[] }).users).toHaveLength(files.data.users.length);
    expect(fast).toEqual(plain);
  });
});
