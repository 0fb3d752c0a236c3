import { EJSON, Double } from 'bson';

/**
 * Turns a spec file's extended JSON into driver values. Typed wrappers ($oid, $numberLong, $date…)
 * become BSON values; plain JSON numbers stay JS numbers (the driver sends integers as int32 and
 * fractions as double, as a real driver user would). `$numberDouble` keeps its Double wrapper so
 * `1.0` is stored as a double.
 */
export function fromSpecJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromSpecJson);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const first = keys[0];
  if (first !== undefined && EJSON_KEYS.has(first)) {
    if (first === '$numberInt') return Number(obj.$numberInt);
    if (first === '$numberDouble') return new Double(Number(obj.$numberDouble));
    return EJSON.deserialize(obj, { relaxed: false });
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromSpecJson(obj[k]);
  return out;
}

const EJSON_KEYS = new Set([
  '$oid', '$numberLong', '$numberDecimal', '$numberDouble', '$numberInt', '$date', '$binary',
  '$uuid', '$timestamp', '$regularExpression', '$minKey', '$maxKey', '$symbol', '$code',
  '$undefined', '$dbPointer',
]);
