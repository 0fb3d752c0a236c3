/**
 * Shares one execution between identical requests that arrive while it is still running.
 * Nothing is cached: once the shared promise settles, the next request executes again.
 */
export interface InflightDeduplicator {
  /** Runs `execute` unless a run with the same key is in flight, whose outcome is then shared. */
  run<T>(key: string | null, execute: () => Promise<T>): Promise<T>;
  /** Number of executions currently shared (for metrics and tests). */
  readonly inflight: number;
  /** How many requests joined an execution instead of starting one, since creation. */
  readonly merged: number;
}

export function createInflightDeduplicator(): InflightDeduplicator {
  const running = new Map<string, Promise<unknown>>();
  let merged = 0;
  return {
    run<T>(key: string | null, execute: () => Promise<T>): Promise<T> {
      if (key === null) return execute();
      const existing = running.get(key);
      if (existing) {
        merged += 1;
        return existing as Promise<T>;
      }
      const promise = execute().finally(() => running.delete(key));
      running.set(key, promise);
      return promise;
    },
    get inflight() {
      return running.size;
    },
    get merged() {
      return merged;
    },
  };
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` variables give the same key. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}

export interface InflightKeyParts {
  /** `query`, `mutation` or `subscription`; only queries are ever merged. */
  operationType: string | undefined;
  /** Hash of the operation document (normalised when available). */
  queryHash: string;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
  /**
   * Who asks: requests of different principals never share an answer, since subgraphs may
   * answer differently per account, key type or sandbox. `null` means unknown: never merge.
   */
  principal: string | null;
}

/** The merge key of a request, or null when it must execute on its own. */
export function inflightKey(parts: InflightKeyParts): string | null {
  if (parts.operationType !== 'query' || parts.principal === null) return null;
  return `${parts.principal}\u0000${parts.queryHash}\u0000${parts.operationName ?? ''}\u0000${stableStringify(parts.variables ?? {})}`;
}
