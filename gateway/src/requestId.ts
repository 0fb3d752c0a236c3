// Every response carries a request id: a well-formed incoming X-Request-Id is kept (so a client or
// proxy can correlate), anything else is replaced by a fresh `req_…`.
import { randomBase62 } from '../../platform/src/ids.js';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && WELL_FORMED.test(value) ? value : `req_${randomBase62(16)}`;
}
