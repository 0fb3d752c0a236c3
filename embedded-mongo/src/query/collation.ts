// Collation, the part that matters for a development server: strength 1 (ignore case and
// accents) and 2 (ignore case). Values are compared after folding; strength 3 (the default) is
// binary comparison, as without collation.
import type { Document } from 'bson';
import { isPlainObject } from '../bson/values.js';

export type Fold = (v: unknown) => unknown;

export function collationFold(collation: Document | undefined): Fold | undefined {
  if (!collation || collation.locale === 'simple') return undefined;
  const strength = Number(collation.strength ?? 3);
  if (strength >= 3) return undefined;
  const foldStr = strength <= 1 ? (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() : (s: string) => s.toLowerCase();
  const fold = (v: unknown): unknown => {
    if (typeof v === 'string') return foldStr(v);
    if (Array.isArray(v)) return v.map(fold);
    if (isPlainObject(v)) {
      const out: Document = {};
      for (const k of Object.keys(v)) out[k] = fold(v[k]);
      return out;
    }
    return v;
  };
  return fold;
}
