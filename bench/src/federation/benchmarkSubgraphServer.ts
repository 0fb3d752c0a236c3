import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Bounded so a misbehaving client cannot grow the caches without limit. */
const MAX_CACHED = 5_000;

/**
 * Serves several subgraph schemas at `/<name>` on one port, as the public benchmark does.
 * The subgraphs must not be the bottleneck: answers are deterministic for a given request
 * body, so each distinct body is executed once with graphql-js and its serialized answer is
 * replayed afterwards (what a precomputed response per entity request would do).
 */
export async function startBenchmarkSubgraphServer(
  schemas: Record<string, GraphQLSchema>,
  options: { port?: number; cacheResponses?: boolean } = {},
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const documents = new Map<string, DocumentNode>();
  const answers = new Map<string, string>();
  const cache = options.cacheResponses ?? true;

  const answer = async (schema: GraphQLSchema, body: string): Promise<string> => {
    let parsedBody: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      parsedBody = JSON.parse(body) as typeof parsedBody;
    } catch {
      return JSON.stringify({ errors: [{ message: 'invalid JSON body' }] });
    }
    const query = parsedBody.query ?? '';
    let document = documents.get(query);
    if (!document) {
      try {
        document = parse(query);
      } catch (error) {
        return JSON.stringify({ errors: [{ message: (error as Error).message }] });
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return JSON.stringify({ errors });
      if (documents.size >= MAX_CACHED) documents.clear();
      documents.set(query, document);
    }
    const result = await execute({
      schema,
      document,
      variableValues: parsedBody.variables ?? null,
      operationName: parsedBody.operationName ?? null,
    });
    return JSON.stringify(result);
  };

  const server = http.createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.replace(/^\/+|\/+$/g, '').replace(/\/graphql$/, '');
    const schema = schemas[name];
    if (!schema || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"not found"}]}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      const key = `${name}\n${body}`;
      const cached = cache ? answers.get(key) : undefined;
      const send = (payload: string): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      };
      if (cached !== undefined) return send(cached);
      answer(schema, body).then((payload) => {
        if (cache) {
          if (answers.size >= MAX_CACHED) answers.clear();
          answers.set(key, payload);
        }
        send(payload);
      }, (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
