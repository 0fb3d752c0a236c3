// Values as MongoDB prints them inside E11000 messages: { name: "x" }, ObjectId('...').
import type { Document } from 'bson';

export function formatKey(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return '[ ' + v.map(formatKey).join(', ') + ' ]';
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'ObjectId') return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  if (t === 'Long' || t === 'Int32' || t === 'Double') return String(v);
  if (t === 'Decimal128') return `NumberDecimal("${String(v)}")`;
  if (t === 'Timestamp') return `Timestamp(${String(v)})`;
  if (t !== undefined) return String(v);
  if (v instanceof RegExp) return String(v);
  const parts = Object.keys(v as Document).map((k) => `${k}: ${formatKey((v as Document)[k])}`);
  return parts.length ? '{ ' + parts.join(', ') + ' }' : '{}';
}
