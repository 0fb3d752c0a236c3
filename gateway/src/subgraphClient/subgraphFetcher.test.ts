import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPrincipal } from '../../../platform/src/principalHeader.js';
import { PRINCIPAL_HEADER, type Principal } from '../../../platform/src/principal.js';
import { createUndiciFetcher } from './createUndiciFetcher.js';
import { subgraphDedupKey } from './subgraphFetcher.js';

const secret = 'x'.repeat(40);
const principal = (over: Partial<Principal> = {}): Principal => ({ accountId: 'a1', mode: 'live', keyType: 'live', plan: 'pro', scopes: [], requestId: 'r1', ...over });
const init = (body: string, p: Principal = principal()) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signPrincipal(p, secret), 'x-request-id': p.requestId },
  body,
});
const query = JSON.stringify({ query: 'query Q__products__0{topProducts{upc}}', variables: {} });

describe('subgraphDedupKey', () => {
  it('is the same for one caller across request ids and signing times', () => {
    expect(subgraphDedupKey('http://s/a', init(query))).toBe(subgraphDedupKey('http://s/a', init(query, principal({ requestId: 'r2' }))));
  });

  it('differs across callers, subgraphs and bodies', () => {
    const key = subgraphDedupKey('http://s/a', init(query));
    expect(subgraphDedupKey('http://s/a', init(query, principal({ accountId: 'a2' })))).not.toBe(key);
    expect(subgraphDedupKey('http://s/a', init(query, principal({ mode: 'test' })))).not.toBe(key);
    expect(subgraphDedupKey('http://s/b', init(query))).not.toBe(key);
    expect(subgraphDedupKey('http://s/a', init(JSON.stringify({ query: '{ a }' })))).not.toBe(key);
  });

  it('never merges mutations', () => {
    expect(subgraphDedupKey('http://s/a', init(JSON.stringify({ query: 'mutation M { a }' })))).toBeNull();
  });
});

describe('createUndiciFetcher with dedup', () => {
  let hits = 0;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits += 1;
      req.resume();
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"n":1}}'), 50);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/s`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('sends identical concurrent queries of one caller once, each caller parsing its own copy', async () => {
    const fetcher = createUndiciFetcher({ dedupKey: subgraphDedupKey });
    hits = 0;
    const responses = await Promise.all([1, 2, 3].map((i) => fetcher(url, init(query, principal({ requestId: `r${i}` })))));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(hits).toBe(1);
    expect(bodies).toEqual([{ data: { n: 1 } }, { data: { n: 1 } }, { data: { n: 1 } }]);
    expect(bodies[0]).not.toBe(bodies[1]);
    hits = 0;
    await Promise.all([fetcher(url, init(query)), fetcher(url, init(query, principal({ accountId: 'other' })))]);
    expect(hits).toBe(2);
    await fetcher.close();
  });
});
