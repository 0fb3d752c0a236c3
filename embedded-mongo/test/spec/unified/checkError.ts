import { MongoBulkWriteError, MongoError, MongoServerError, MongoOperationTimeoutError } from 'mongodb';
import { matchValue, type MatchContext } from './matchValue.js';
import { bulkWriteResultDocument } from './operations.js';

/** Code names the spec files assert, for errors that carry only a numeric code (write errors). */
const CODE_NAMES: Record<string, number> = {
  badvalue: 2, failedtoparse: 9, typemismatch: 14, invalidoptions: 72, namespacenotfound: 26, namespaceexists: 48,
  indexnotfound: 27, duplicatekey: 11000, writeconflict: 112, commandnotfound: 59, nosuchtransaction: 251,
  invalidnamespace: 73, immutablefield: 66, conflictingupdateoperators: 40, unknownerror: 8, location40415: 40415,
};

interface WriteErrorLike { code?: number; errmsg?: string; codeName?: string }

/** Asserts an `expectError` object against the thrown error. */
export function checkError(expected: Record<string, any>, err: unknown, ctx: MatchContext): void {
  if (!(err instanceof Error)) throw new Error(`expected an error object, got ${String(err)}`);
  const isServer = err instanceof MongoServerError;
  const writeErrors: WriteErrorLike[] = err instanceof MongoBulkWriteError ? (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]) : [];
  const server = isServer ? (err as MongoServerError) : undefined;
  if (expected.isClientError === true && isServer) throw new Error(`expected a client error, got server error ${err.message}`);
  if (expected.isClientError === false && !isServer) throw new Error(`expected a server error, got client error ${err.message}`);
  if (expected.isTimeoutError !== undefined && (err instanceof MongoOperationTimeoutError) !== expected.isTimeoutError)
    throw new Error(`timeout error expectation ${expected.isTimeoutError} not met: ${err.message}`);
  if (expected.errorContains !== undefined) {
    const needle = String(expected.errorContains).toLowerCase();
    const haystack = [err.message, ...writeErrors.map((w) => w.errmsg ?? '')].map((m) => m.toLowerCase());
    if (!haystack.some((m) => m.includes(needle))) throw new Error(`error "${err.message}" does not contain "${expected.errorContains}"`);
  }
  if (expected.errorCode !== undefined) {
    const codes = [server?.code, ...writeErrors.map((w) => w.code)];
    if (!codes.includes(expected.errorCode)) throw new Error(`expected error code ${expected.errorCode}, got ${codes.join(',')} (${err.message})`);
  }
  if (expected.errorCodeName !== undefined) {
    const want = String(expected.errorCodeName).toLowerCase();
    const names = [server?.codeName, ...writeErrors.map((w) => w.codeName)].filter(Boolean).map((n) => String(n).toLowerCase());
    const codes = [server?.code, ...writeErrors.map((w) => w.code)];
    if (!names.includes(want) && !(want in CODE_NAMES && codes.includes(CODE_NAMES[want])))
      throw new Error(`expected code name ${expected.errorCodeName}, got ${names.join(',') || codes.join(',')} (${err.message})`);
  }
  const hasLabel = (l: string) => err instanceof MongoError && err.hasErrorLabel(l);
  for (const l of expected.errorLabelsContain ?? []) if (!hasLabel(l)) throw new Error(`error lacks label ${l} (${err.message})`);
  for (const l of expected.errorLabelsOmit ?? []) if (hasLabel(l)) throw new Error(`error has label ${l}`);
  if (expected.errorResponse !== undefined) {
    if (!server) throw new Error(`expected a server response, got ${err.message}`);
    matchValue(expected.errorResponse, server.errorResponse ?? server, ctx, true, 'errorResponse');
  }
  if (expected.expectResult !== undefined) {
    const partial = err instanceof MongoBulkWriteError ? bulkWriteResultDocument(err.result) : undefined;
    matchValue(expected.expectResult, partial, ctx, true, 'expectError.expectResult');
  }
}
