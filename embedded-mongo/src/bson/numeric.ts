// int64 and Decimal128 for mingo: mingo computes on JS numbers, so documents holding Long or
// Decimal128 values are shown to it through a cached "numeric view" (those values as numbers),
// while the stored document keeps its BSON types. After an update computed on the view, the
// original types are put back where the value is still a number (Long for integers).
import { Decimal128, Long, type Document } from 'bson';
import { isPlainObject, toNumber } from './values.js';

const views = new WeakMap<object, Document>();
const typedCache = new WeakMap<object, boolean>();

function isTypedNumber(v: unknown): boolean {
  const t = (v as { _bsontype?: string } | null)?._bsontype;
  return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
}

/** True when a Long/Decimal128 (or boxed Int32/Double) appears anywhere inside. */
export function hasTypedNumbers(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (isTypedNumber(v)) return true;
  if (Array.isArray(v)) return v.some(hasTypedNumbers);
  if (!isPlainObject(v)) return false;
  const cached = typedCache.get(v);
  if (cached !== undefined) return cached;
  let r = false;
  for (const k in v) {
    if (hasTypedNumbers(v[k])) {
      r = true;
      break;
    }
  }
  typedCache.set(v, r);
  return r;
}

const originals = new WeakMap<object, object>();

function convert(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isTypedNumber(v)) return toNumber(v);
  if (Array.isArray(v)) {
    const arr = v.map(convert);
    originals.set(arr, v);
    return arr;
  }
  if (!isPlainObject(v)) return v;
  const out: Document = {};
  for (const k of Object.keys(v)) out[k] = convert(v[k]);
  originals.set(out, v);
  return out;
}

/** The stored object a numeric view stands for (itself when it is not a view): for `$type`. */
export function originalOf<T>(v: T): T {
  return (v !== null && typeof v === 'object' ? (originals.get(v as object) as T | undefined) : undefined) ?? v;
}

/** The document as mingo should see it (the document itself when it holds no typed numbers). */
export function forMingo<T>(doc: T): T {
  if (doc === null || typeof doc !== 'object' || !hasTypedNumbers(doc)) return doc;
  let view = views.get(doc as object);
  if (!view) {
    view = convert(doc) as Document;
    views.set(doc as object, view);
  }
  return view as T;
}

/** Puts back `orig`'s Long / Decimal128 types on values `updated` still holds as numbers. */
export function restoreTypes(orig: unknown, updated: unknown): unknown {
  if (typeof updated === 'number') {
    const t = (orig as { _bsontype?: string } | null)?._bsontype;
    if (t === 'Long' && Number.isInteger(updated)) return Long.fromNumber(updated);
    if (t === 'Decimal128') return Decimal128.fromString(String(updated));
    return updated;
  }
  if (Array.isArray(updated) && Array.isArray(orig)) return updated.map((x, i) => restoreTypes(orig[i], x));
  if (isPlainObject(updated) && isPlainObject(orig)) {
    let out: Document | undefined;
    for (const k of Object.keys(updated)) {
      if (!(k in orig)) continue;
      const r = restoreTypes(orig[k], updated[k]);
      if (r !== updated[k]) (out ??= { ...updated })[k] = r;
    }
    return out ?? updated;
  }
  return updated;
}
