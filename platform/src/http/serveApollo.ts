// Bridges node:http to @apollo/server's transport-neutral executeHTTPGraphQLRequest, so gateway and
// subgraphs need no web framework and the gateway can share its port with REST and WebSockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/** The request's headers as Apollo Server's HeaderMap (repeated headers joined, as HTTP allows). */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export async function serveApollo<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  bodyText: string | undefined,
  context: () => Promise<C>,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const headers = headerMapOf(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown = undefined;
  if (bodyText !== undefined && bodyText !== '') {
    const type = headers.get('content-type') ?? '';
    // Apollo parses nothing itself: JSON bodies are parsed here; a malformed one is Apollo's 400.
    if (type.includes('json')) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
        res.end(JSON.stringify({ errors: [{ message: 'Malformed JSON body', extensions: { code: 'INVALID_REQUEST' } }] }));
        return;
      }
    } else body = bodyText;
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
    context,
  });
  const outHeaders: Record<string, string> = { ...extraHeaders };
  for (const [key, value] of response.headers) outHeaders[key] = value;
  res.writeHead(response.status ?? 200, outHeaders);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
  } else {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}
