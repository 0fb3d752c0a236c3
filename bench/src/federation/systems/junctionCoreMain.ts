// Process entry: junction's performance pieces over @apollo/gateway + @apollo/server on node:http,
// used while junction's own gateway (auth, rate limits, metrics) is not there to measure.
// argv: <supergraph file> <port> <merging 0|1> <workers>
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createUndiciFetcher } from '../../../../gateway/src/subgraphClient/createUndiciFetcher.js';
import { subgraphDedupKey } from '../../../../gateway/src/subgraphClient/subgraphFetcher.js';
import { runClustered } from './runClustered.js';
import { withInflightDedup } from '../../../../gateway/src/dedup/withInflightDedup.js';

const [supergraphFile, port, merging, workers] = process.argv.slice(2);

async function startWorker(): Promise<{ url: string; close(): Promise<void> }> {
  const fetcher = createUndiciFetcher({ dedupKey: subgraphDedupKey });
  const apolloGateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphFile!, 'utf8'),
    // The gateway's own `fetcher` option only serves supergraph fetching; data sources take theirs.
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher }),
  });
  // Without auth every caller is the same anonymous principal.
  const gateway = merging === '1' ? withInflightDedup(apolloGateway, { principalOf: () => 'anonymous' }) : apolloGateway;
  const server = new ApolloServer({ gateway });
  await server.start();
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      server
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://x').search, body: text ? JSON.parse(text) : undefined },
          context: async () => ({}),
        })
        .then(async (response) => {
          const out: Record<string, string> = {};
          for (const [k, v] of response.headers) out[k] = v;
          res.writeHead(response.status ?? 200, out);
          if (response.body.kind === 'complete') res.end(response.body.string);
          else {
            for await (const chunk of response.body.asyncIterator) res.write(chunk);
            res.end();
          }
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
        });
    });
  });
  httpServer.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => httpServer.listen(Number(port), '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`,
    close: async () => {
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
      await server.stop();
      await fetcher.close();
    },
  };
}

await runClustered({ workers: Number(workers ?? 1), startWorker, onReady: (url) => console.log(`LISTENING ${url}`) });
