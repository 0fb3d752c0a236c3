// A small HTTP client for the TechCorp API v2.0.3 end-to-end tests: talks to the gateway exactly as
// a legacy client would (Bearer key, JSON bodies) and returns status, headers and parsed body.
export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface CallOptions {
  key?: string | undefined;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body) (malformed JSON tests). */
  raw?: string;
  headers?: Record<string, string>;
}

export type Call = (method: string, path: string, options?: CallOptions) => Promise<Reply>;

export function restClient(baseUrl: string, defaultKey?: string): Call {
  return async (method, path, options = {}) => {
    const key = 'key' in options ? options.key : defaultKey;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (key) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text };
  };
}

export interface GraphQLReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  errors: { message: string; extensions?: { code?: string; param?: string } }[] | undefined;
}

export async function graphql(baseUrl: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLReply> {
  const res = await fetch(new URL('/graphql', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: GraphQLReply['errors'] };
  return { status: res.status, data: body.data, errors: body.errors };
}

let counter = 0;
/** Unique per test run, so tests never collide on email or SKU. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export const ADDRESS = { line1: '123 Main Street', city: 'Paris', postal_code: '75001', country: 'FR' };

/** The documented error body: {"error":{"code","message","param","request_id"}}. */
export function expectError(reply: Reply, status: number, code: string, param?: string): void {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
  expect(typeof reply.body.error.message).toBe('string');
  expect(reply.body.error.request_id).toEqual(expect.any(String));
  if (param !== undefined) expect(reply.body.error.param).toBe(param);
}
