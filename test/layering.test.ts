// The folder layout's arrows, enforced: every relative import (static or dynamic) of every
// TypeScript file is resolved and checked against the layer rules below, so an import that
// breaks them fails the build with the file, the line and the rule.
//
//   app/ ──> gateway/, subgraphs/<d>/, platform/, embedded-mongo/   (the composition root)
//   gateway/ ──> platform/          subgraphs/<d>/ ──> platform/ (and its own folder)
//   platform/ ──> nothing of junction      embedded-mongo/ ──> nothing of junction
//
// Test files (`*.test.ts`) may also start the embedded database (it is their test server), and
// bench/ and test/ may import anything.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../app/src/compose.js';

type Layer = 'app' | 'gateway' | 'platform' | 'embedded-mongo' | 'bench' | 'test' | `subgraph:${string}` | 'other';

function layerOf(file: string): Layer {
  const [top, second] = path.relative(repoRoot, file).split(path.sep);
  if (top === 'subgraphs') return `subgraph:${second}`;
  if (top === 'app' || top === 'gateway' || top === 'platform' || top === 'embedded-mongo' || top === 'bench' || top === 'test') return top;
  return 'other';
}

/** Which layers `from` may import; `undefined` means any. */
function allowed(from: Layer, isTest: boolean): Layer[] | undefined {
  const testExtras: Layer[] = isTest ? ['embedded-mongo'] : [];
  if (from === 'bench' || from === 'test' || from === 'other') return undefined;
  if (from === 'app') return ['app', 'gateway', 'platform', 'embedded-mongo', ...subgraphLayers()];
  if (from === 'gateway') return ['gateway', 'platform', ...testExtras];
  if (from === 'platform') return ['platform', ...testExtras];
  if (from === 'embedded-mongo') return ['embedded-mongo'];
  return [from, 'platform', ...testExtras]; // a subgraph: itself and the shared kernel
}

function subgraphLayers(): Layer[] {
  return readdirSync(path.join(repoRoot, 'subgraphs'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `subgraph:${d.name}` as Layer);
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'data') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function violations(): string[] {
  const found: string[] = [];
  for (const top of ['app', 'gateway', 'platform', 'embedded-mongo', 'subgraphs']) {
    for (const file of sourceFiles(path.join(repoRoot, top))) {
      const from = layerOf(file);
      const rules = allowed(from, file.endsWith('.test.ts'));
      if (!rules) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const target = layerOf(path.resolve(path.dirname(file), match[1]!));
        if (rules.includes(target)) continue;
        const line = text.slice(0, match.index).split('\n').length;
        found.push(`${path.relative(repoRoot, file)}:${line} (${from}) imports ${match[1]} (${target})`);
      }
    }
  }
  return found;
}

describe('layering', () => {
  it('every import follows the layer rules (app → gateway/subgraphs → platform)', () => {
    expect(violations()).toEqual([]);
  });

  it('sees dynamic imports and string specifiers too', () => {
    const probe = "const m = await import('../../gateway/src/x.js'); import '../../subgraphs/a/src/y.js';";
    expect([...probe.matchAll(IMPORT)].map((m) => m[1])).toEqual(['../../gateway/src/x.js', '../../subgraphs/a/src/y.js']);
  });
});
