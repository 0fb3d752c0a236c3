// Composes every schema/<d>.graphql (not supergraph.graphql) into schema/supergraph.graphql with
// @apollo/composition. Subgraph URLs in the file are placeholders (http://<name>.invalid/graphql):
// the launcher and the gateway replace them at run time (env SUBGRAPH_<NAME>_URL or the ports the
// launcher chose). `npm run compose` writes the file; test/generated.test.ts checks it is current.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemaDir = path.join(repoRoot, 'schema');
export const supergraphFile = path.join(schemaDir, 'supergraph.graphql');

export function placeholderUrl(name: string): string {
  return `http://${name}.invalid/graphql`;
}

export interface SubgraphSdl {
  name: string;
  sdl: string;
  url?: string;
}

export function readSubgraphSdls(dir = schemaDir): SubgraphSdl[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')
    .sort()
    .map((f) => ({ name: f.replace(/\.graphql$/, ''), sdl: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Returns the supergraph SDL or throws with every composition error listed. */
export function composeSupergraph(subgraphs: SubgraphSdl[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url ?? placeholderUrl(s.name), typeDefs: parse(s.sdl) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    // Every object type and root field must declare its access rule (platform/src/access.ts), and
    // no rule may name what the schema lacks: composition refuses otherwise, naming each coordinate.
    const { subgraphs } = await import('./subgraphRegistry.js');
    const { assertAccessRules } = await import('../../platform/src/access.js');
    for (const m of subgraphs) assertAccessRules(m.name, m.typeDefs, m.access);
    const sdl = composeSupergraph(readSubgraphSdls());
    writeFileSync(supergraphFile, sdl);
    console.log(`wrote ${path.relative(process.cwd(), supergraphFile)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
