import { isDeepStrictEqual } from 'node:util';

/**
 * Decides whether a GraphQL response body is the expected answer: same `data`, no `errors`.
 * Verdicts are memoised by body text because a gateway under load returns the same bytes
 * again and again, and the check must not cost the load generator much CPU.
 */
export function createResponseChecker(expectedData: unknown, compare: 'data' | 'body' = 'data'): (status: number, body: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return (status, body) => {
    if (status !== 200) return false;
    const known = verdicts.get(body);
    if (known !== undefined) return known;
    let ok = false;
    try {
      const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
      ok = compare === 'body' ? isDeepStrictEqual(parsed, expectedData) : parsed.errors === undefined && isDeepStrictEqual(parsed.data, expectedData);
    } catch {
      ok = false;
    }
    if (verdicts.size > 1_000) verdicts.clear();
    verdicts.set(body, ok);
    return ok;
  };
}
