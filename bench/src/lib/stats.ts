/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: number[]): number {
  values = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `median (min–max)` formatted with the given number of decimals. */
export function medianWithSpread(values: number[], decimals = 0): string {
  values = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return 'n/a';
  const f = (v: number): string => v.toFixed(decimals);
  if (values.length === 1) return f(values[0]!);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

export const mb = (bytes: number): number => bytes / 1024 / 1024;

/** A number for a table cell; 'n/a' for what could not be measured (no responses in time). */
export function fixed(value: number | null | undefined, decimals = 0): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}
