import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public gateway benchmark's data as shipped in `../shared/gateway-benchmark/data.json`. */
export interface BenchmarkData {
  users: Array<{ id: string; name: string; username: string; birthday: number }>;
  products: Array<{ upc: string; name: string; price: number; weight: number }>;
  inventory: Array<{ upc: string; inStock: boolean }>;
  reviews: Array<{ id: string; body: string; productUpc: string }>;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the public benchmark's files live; read at run time, never copied into the repo. */
export const benchmarkDir = path.resolve(repoRoot, '../shared/gateway-benchmark');

export interface BenchmarkFiles {
  data: BenchmarkData;
  supergraphSdl: string;
  query: string;
}

/** Returns the benchmark's files, or null (with the reason) when `../shared` is absent. */
export function loadBenchmarkFiles(): BenchmarkFiles | { missing: string } {
  const files = ['data.json', 'supergraph.graphql', 'query.graphql'].map((f) => path.join(benchmarkDir, f));
  const absent = files.find((f) => !existsSync(f));
  if (absent) return { missing: `${absent} not found` };
  const [dataFile, supergraphFile, queryFile] = files as [string, string, string];
  return {
    data: JSON.parse(readFileSync(dataFile, 'utf8')) as BenchmarkData,
    supergraphSdl: readFileSync(supergraphFile, 'utf8'),
    query: readFileSync(queryFile, 'utf8'),
  };
}

/** Points the supergraph's `@join__graph(url:)` of each subgraph at `<baseUrl>/<name>`. */
export function withSubgraphBaseUrl(supergraphSdl: string, baseUrl: string): string {
  return supergraphSdl.replace(
    /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
    (_m, name: string) => `@join__graph(name: "${name}", url: "${baseUrl}/${name}")`,
  );
}
