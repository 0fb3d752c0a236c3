/** ISO-8601 UTC with seconds precision, as every seed shows timestamps (2024-01-15T12:00:00Z). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
