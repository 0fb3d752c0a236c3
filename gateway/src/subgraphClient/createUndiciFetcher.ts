import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';

/** The fetch-like function `@apollo/gateway` calls for every subgraph request. */
export type SubgraphFetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<SubgraphFetcher>>;

export interface UndiciFetcherOptions {
  /** Connections kept per subgraph origin (default 128). */
  connections?: number;
  /** How long an idle keep-alive connection stays open, ms (default 30 s). */
  keepAliveTimeout?: number;
  /** Per-request headers+body timeout, ms (default 30 s). */
  timeout?: number;
  /**
   * Outbound in-flight deduplication: requests with the same non-null key while one is in flight
   * share its HTTP exchange (each caller still gets its own response object and parses the body
   * itself, so no caller can see another's mutations of the result). Return null for requests
   * that must go out on their own (mutations). Off when absent.
   */
  dedupKey?: (url: string, init: Parameters<SubgraphFetcher>[1]) => string | null;
}

/** Read-only header view over undici's raw header record (names arrive lower-cased). */
class ResponseHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(): void {
    throw new TypeError('response headers are immutable');
  }
  set(): void {
    throw new TypeError('response headers are immutable');
  }
  delete(): void {
    throw new TypeError('response headers are immutable');
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  *keys(): IterableIterator<string> {
    yield* Object.keys(this.raw);
  }
  *values(): IterableIterator<string> {
    for (const name of Object.keys(this.raw)) yield this.get(name)!;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A fully read subgraph response; the body is read once, eagerly, so `json()` is one parse. */
class BufferedResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: ResponseHeaders,
    private readonly body: string,
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get statusText(): string {
    // undici does not expose the reason phrase; node servers send the standard one.
    return STATUS_CODES[this.status] ?? '';
  }
  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body;
  }
  async json(): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- the Fetcher contract
    this.bodyUsed = true;
    return JSON.parse(this.body);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const buf = Buffer.from(this.body, 'utf8');
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}

/**
 * The error shape of the default fetcher (make-fetch-happen's FetchError), so a subgraph that
 * cannot be reached gives clients the same GraphQL error message with either fetcher.
 */
function asFetchError(url: string, error: unknown): Error {
  const cause = error as { message?: string; code?: string; errno?: number };
  const reason = cause.message ?? String(error);
  return Object.assign(new Error(`request to ${url} failed, reason: ${reason}`), {
    name: 'FetchError',
    type: 'system',
    code: cause.code,
    errno: cause.code,
  });
}

/**
 * A subgraph fetcher for `@apollo/gateway` (`new ApolloGateway({ fetcher })` or a data source's
 * `fetcher`) on undici keep-alive pools. The default one (make-fetch-happen) builds a new
 * request object graph and walks a stack trace per call (agent-base), which the profile of
 * the federation benchmark shows as a large share of the gateway's CPU.
 */
export function createUndiciFetcher(options: UndiciFetcherOptions = {}): SubgraphFetcher & { close(): Promise<void> } {
  const timeout = options.timeout ?? 30_000;
  const dispatcher = new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeout ?? 30_000,
    pipelining: 1,
  });
  interface Raw {
    status: number;
    headers: ResponseHeaders;
    body: string;
  }
  const inflight = new Map<string, Promise<Raw>>();
  const exchange = async (url: string, init?: Parameters<SubgraphFetcher>[1]): Promise<Raw> => {
    try {
      const res = await request(url, {
        method: (init?.method ?? 'GET') as 'GET',
        headers: init?.headers,
        body: init?.body,
        dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: init?.signal,
      });
      const body = await res.body.text();
      return { status: res.statusCode, headers: new ResponseHeaders(res.headers), body };
    } catch (error) {
      throw asFetchError(url, error);
    }
  };
  const fetcher = async (url: string, init?: Parameters<SubgraphFetcher>[1]): Promise<FetcherResponse> => {
    const key = options.dedupKey?.(url, init) ?? null;
    let raw: Promise<Raw>;
    if (key === null) raw = exchange(url, init);
    else {
      const shared = inflight.get(key);
      if (shared) raw = shared;
      else {
        raw = exchange(url, init).finally(() => inflight.delete(key));
        inflight.set(key, raw);
      }
    }
    const { status, headers, body } = await raw;
    return new BufferedResponse(url, status, headers, body);
  };
  return Object.assign(fetcher, { close: () => dispatcher.close() });
}
