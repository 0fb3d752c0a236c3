// fast-check generators of hostile HTTP requests for one route of the inventory: malformed JSON,
// wrong types, huge / unicode / NUL strings, unknown and operator-like fields, bad path ids, odd
// query strings (repeated keys, arrays, bad encodings), odd headers and content types, bad
// Authorization values. Most requests carry a valid key, so that they get past authentication
// and reach the route's own validation.
import fc from 'fast-check';
import type { BodySpec, FieldSpec } from '../../gateway/src/rest/RestRoute.js';
import type { RawRequest } from './rawRequest.js';
import type { FuzzTarget } from './routeInventory.js';

export interface FuzzKeys {
  live: string;
  test: string;
  readonly: string;
  otherAccountLive: string;
}

export interface FuzzRequest extends RawRequest {
  target: string;
}

/** Percent-encodes every byte but the unreserved ones (valid for any string, lone surrogates too). */
export function encodeAll(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\ufeff',
  'ﷺ🇫🇷👩‍👩‍👧‍👦',
  'ＡＢＣ',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  'a.b',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  'usr_',
  'usr_\u0000',
  'ord_../../x',
  'x'.repeat(10_000),
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 120_000 }).map((n) => 'é'.repeat(n)), weight: 1 },
);

/** JSON values of every kind, MongoDB operator objects and prototype keys included. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1), weight: 2 },
  { arbitrary: fc.constantFrom({ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.array(nastyString, { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.integer({ min: 100, max: 1000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown), weight: 1 },
);

const nastyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', '$set', '$where', 'a.b', '', '\u0000', 'id', '_id', 'account_id', 'accountId', 'created_at', 'x'.repeat(300)), fc.string({ maxLength: 12 }));

/** A value for a field: right type with odd content, the wrong type, or out of bounds. */
function fieldValue(spec: FieldSpec, depth = 0): fc.Arbitrary<unknown> {
  const right: fc.Arbitrary<unknown> = (() => {
    switch (spec.type) {
      case 'string':
        return spec.enum ? fc.oneof(fc.constantFrom(...spec.enum), fc.constantFrom(...spec.enum).map((v) => v.toUpperCase()), fc.constantFrom(...spec.enum).map((v) => ` ${v}\u0000`)) : nastyString;
      case 'integer':
        return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, spec.min !== undefined ? spec.min - 1 : -1, spec.max !== undefined ? spec.max + 1 : 1e9));
      case 'number':
        return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(1e308, -0, 0.1 + 0.2, -1e-308));
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(spec.items && depth < 2 ? fieldValue(spec.items, depth + 1) : nastyJson, { maxLength: spec.max !== undefined ? spec.max + 2 : 6 });
      case 'object':
        return spec.fields && depth < 2 ? bodyObject(spec.fields, depth + 1) : fc.dictionary(nastyKey, nastyJson, { maxKeys: 8 });
    }
  })();
  return fc.oneof({ arbitrary: right, weight: 3 }, { arbitrary: nastyJson, weight: 2 });
}

/** An object over a body spec: some of its fields (odd values), sometimes unknown fields too. */
function bodyObject(spec: BodySpec, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const known = fc.record(Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, fieldValue(s, depth)])), { requiredKeys: [] });
  const unknown = fc.option(fc.dictionary(nastyKey, nastyJson, { maxKeys: 3 }), { freq: 3 });
  return fc.tuple(known, unknown).map(([k, u]) => (u ? { ...u, ...k } : k) as Record<string, unknown>);
}

const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  'null',
  '[]',
  '[{"a":1}]',
  '"text"',
  '42',
  'true',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":0x10}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '\u0000',
  '\ufeff{}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"email":"a@b.co","email":{"$gt":""}}',
  '{"a":1e99999}',
  '{"a":-}',
  '/* comment */ {}',
  'email=a%40b.co&name=x',
  '--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--boundary--',
];

/** The raw body: none, malformed text, invalid UTF-8, deep nesting, too large, or JSON over the spec. */
function bodyText(target: FuzzTarget): fc.Arbitrary<Buffer | string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constantFrom(...MALFORMED_JSON), weight: 3 },
    { arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), Buffer.from('{"name":"\xc3\x28"}', 'latin1'), Buffer.from('{"a":"\xed\xa0\x80"}', 'latin1')), weight: 1 },
    { arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)), weight: 1 },
    { arbitrary: fc.constant(null).map(() => JSON.stringify({ pad: 'x'.repeat(1_100_000) })), weight: 1 },
    { arbitrary: nastyJson.map((v) => JSON.stringify(v) ?? ''), weight: 2 },
    { arbitrary: bodyObject(target.body ?? {}).map((o) => JSON.stringify(o)), weight: 8 },
  );
}

const ids = (fixtures: Record<string, string[]>, param: string): fc.Arbitrary<string> => {
  const real = fixtures[param] ?? [];
  const raw = fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%00', '%2F', 'a%2Fb', '..', '.', '%2e%2e', '%C0%AE', '%u0041', '*', 'x'.repeat(4000));
  return fc.oneof(
    ...(real.length > 0 ? [{ arbitrary: fc.constantFrom(...real), weight: 3 }] : []),
    { arbitrary: nastyString.filter((s) => s.length < 3000).map(encodeAll), weight: 3 },
    { arbitrary: raw, weight: 2 },
  );
};

/** A query string: known and unknown keys, repeated keys, array syntax, odd values and encodings. */
function queryString(target: FuzzTarget): fc.Arbitrary<string> {
  const keys = Object.keys(target.query ?? {});
  const key = fc.oneof(
    ...(keys.length > 0 ? [{ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: fc.constantFrom(...keys).map((k) => `${k}[]`), weight: 1 }, { arbitrary: fc.constantFrom(...keys).map((k) => `${k}[$gt]`), weight: 1 }] : []),
    { arbitrary: nastyKey.map(encodeAll), weight: 1 },
  );
  const value = fc.oneof(
    ...(keys.length > 0 ? [{ arbitrary: fc.constantFrom(...keys).chain((k) => fieldValue(target.query![k]!)).map((v) => encodeAll(typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 4 }] : []),
    { arbitrary: fc.constantFrom('', '%', '%ZZ', '%00', '+', 'a+b', '1,2,,3', '-1', '1e2', '0x10', '1.0', '%201', '%20', 'true', 'TRUE', 'null', '[]', '%5B%5D'), weight: 2 },
    { arbitrary: nastyString.filter((s) => s.length < 3000).map(encodeAll), weight: 1 },
  );
  const pair = fc.oneof({ arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}=${v}`), weight: 6 }, { arbitrary: key, weight: 1 }, { arbitrary: fc.constantFrom('=', '&', '=x', ';a=1'), weight: 1 });
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

/** A header value node:http will send (tab, printable ASCII and Latin-1 only). */
const headerValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'\tabcXYZ019 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\u00e9\u00ff'), maxLength: 60 }),
  fc.constantFrom('', ' ', 'x'.repeat(6000)),
);

function authorization(keys: FuzzKeys): fc.Arbitrary<string | string[] | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${keys.live}`), weight: 12 },
    { arbitrary: fc.constantFrom(`Bearer ${keys.test}`, `Bearer ${keys.readonly}`, `Bearer ${keys.otherAccountLive}`), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        `bearer ${keys.live}`,
        `Bearer  ${keys.live}`,
        `Bearer ${keys.live}x`,
        `Bearer ${keys.live.slice(0, -1)}`,
        `Basic ${Buffer.from(`${keys.live}:`).toString('base64')}`,
        'Basic !!!',
        'Bearer tc_live_sk_AAAAAAAAAAAAAAAAAAAAAAAA',
        'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZmFrZQ',
        'Token x',
        'x'.repeat(7000),
      ),
      weight: 3,
    },
    { arbitrary: headerValue.map((v) => `Bearer ${v}`), weight: 1 },
    { arbitrary: fc.constant(null).map(() => [`Bearer ${keys.live}`, `Bearer ${keys.otherAccountLive}`]), weight: 1 },
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=boundary',
  'application/xml',
  'application/graphql',
  'application/x-protobuf',
  'application/json, text/plain',
  ';;;=',
  '',
];

export interface HeaderOptions {
  keys: FuzzKeys;
  /** Host names the gateway routes by (every API's documented hosts). */
  hosts: string[];
}

export function headersArb({ keys, hosts }: HeaderOptions, fixedHost?: string): fc.Arbitrary<Record<string, string | string[]>> {
  return fc
    .record(
      {
        authorization: authorization(keys),
        'content-type': fc.option(fc.oneof({ arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 3 }, { arbitrary: headerValue, weight: 1 }), { freq: 4 }),
        accept: fc.option(fc.constantFrom('*/*', 'application/json', 'text/html', 'application/xml', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed; deferSpec=20220824', 'image/png'), { freq: 2 }),
        'x-request-id': fc.option(fc.oneof(headerValue, fc.constantFrom('req_reliability_suite_01', 'a'.repeat(129))), { freq: 3 }),
        host: fc.option(fc.oneof(fc.constantFrom(...hosts, 'localhost', '127.0.0.1:1', 'API.TECHCORP.IO', ''), headerValue), { freq: 6 }),
        extra: fc.option(fc.constantFrom<[string, string]>(['content-encoding', 'gzip'], ['expect', '100-continue'], ['x-forwarded-for', '127.0.0.1, 10.0.0.1'], ['cookie', 'junction_consent=x'], ['x-http-method-override', 'DELETE'], ['if-none-match', '*'], ['origin', 'null']), { freq: 3 }),
      },
      { requiredKeys: ['authorization', 'content-type', 'accept', 'x-request-id', 'host', 'extra'] },
    )
    .map((h) => {
      const out: Record<string, string | string[]> = {};
      if (h.authorization !== undefined) out.authorization = h.authorization;
      if (h['content-type'] !== null) out['content-type'] = h['content-type'];
      if (h.accept !== null) out.accept = h.accept;
      if (h['x-request-id'] !== null) out['x-request-id'] = h['x-request-id'];
      if (fixedHost) out.host = fixedHost;
      else if (h.host !== null) out.host = h.host;
      if (h.extra) out[h.extra[0]] = h.extra[1];
      return out;
    });
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE'];

/** Odd spellings of a path: trailing slash, doubled slashes, dot segments, case, matrix params. */
function pathVariant(path: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(path), weight: 8 },
    { arbitrary: fc.constantFrom(`${path}/`, path.replace(/\//g, '//'), `${path}/.`, `${path}/..`, path.toUpperCase(), `${path};jsessionid=x`, `${path}%2F`, `${path}/%00`, `${path}/unknown`, `/.${path}`), weight: 2 },
  );
}

export function requestArb(target: FuzzTarget, fixtures: Record<string, string[]>, headerOptions: HeaderOptions): fc.Arbitrary<FuzzRequest> {
  const params = fc.tuple(...target.params.map((p) => ids(fixtures, p)));
  const method = fc.oneof({ arbitrary: fc.constant(target.method), weight: 6 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 });
  return fc.record({ params, method, query: queryString(target), body: bodyText(target), headers: headersArb(headerOptions, target.host) }).chain((r) => {
    let i = 0;
    const filled = target.path.replace(/:[a-z_]+/g, () => r.params[i++] ?? 'x');
    return pathVariant(filled).map((p) => ({ target: target.name, method: r.method, path: p + r.query, headers: r.headers, body: r.body }));
  });
}
