// Money as exact integers of the currency's minor unit (cents for USD/EUR, yen for JPY, fils for
// KWD). The APIs show major units as JSON numbers; conversion happens only at the edges.

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 code known to the runtime's ICU data (Node 20: ~160 active codes). */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of a currency (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * 19.99 USD → 1999. Returns undefined when the amount has more decimals than the currency allows
 * (19.999 USD), so the caller can refuse it instead of silently rounding a price.
 */
export function toMinor(amount: number, currency: string): number | undefined {
  const factor = 10 ** minorDigits(currency);
  const minor = Math.round(amount * factor);
  if (Math.abs(minor / factor - amount) > 1e-9 * Math.max(1, Math.abs(amount))) return undefined;
  if (!Number.isSafeInteger(minor)) return undefined;
  return minor;
}

/** 1999 USD → 19.99 (the nearest double, which JSON prints as 19.99). */
export function toMajor(minor: number, currency: string): number {
  const digits = minorDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}
