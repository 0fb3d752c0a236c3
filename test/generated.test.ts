// The committed generated files (typed resolvers per subgraph, the composed supergraph) must match
// what the SDL produces now: run `npm run codegen && npm run compose` after editing schema/*.graphql;
// the README's configuration tables must match platform/src/env.ts (`npm run docs`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { outputFile, subgraphDomains } from '../codegen.js';
import { composeSupergraph, readSubgraphSdls, repoRoot, supergraphFile } from '../app/src/compose.js';
import { renderReadme } from '../app/src/docs/configurationDocs.js';

test('schema/supergraph.graphql is the composition of schema/*.graphql', () => {
  const expected = composeSupergraph(readSubgraphSdls());
  expect(readFileSync(supergraphFile, 'utf8')).toBe(expected);
});

test('generated resolver types match the SDL of every subgraph', async () => {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const stdout = execFileSync(tsx, [path.join(repoRoot, 'test/support/printCodegenOutputs.ts')], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const outputs = JSON.parse(stdout) as { filename: string; content: string }[];
  const byFile = new Map(outputs.map((o) => [path.relative(repoRoot, path.resolve(repoRoot, o.filename)), o.content]));
  expect(subgraphDomains().length).toBeGreaterThan(0);
  for (const domain of subgraphDomains()) {
    const file = outputFile(domain);
    expect({ file, content: readFileSync(path.join(repoRoot, file), 'utf8') }).toEqual({ file, content: byFile.get(file) });
  }
}, 60_000);

test("README.md's configuration tables are generated from platform/src/env.ts", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  expect(renderReadme(readme)).toBe(readme);
});
