// One HTTP request with node:http rather than fetch: fetch normalises paths, refuses some methods
// and fixes up headers, while a fuzzer must send exactly what it generated (raw path, repeated
// headers, any content type). Always to loopback, always bounded by a timeout.
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Raw request target, sent as is (already percent-encoded where needed). */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`reliability traffic goes to loopback only, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: Number(url.port), method: request.method, path: request.path, headers: request.headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${request.method} ${request.path.slice(0, 200)}`)));
    req.on('error', reject);
    req.end(request.body);
  });
}
