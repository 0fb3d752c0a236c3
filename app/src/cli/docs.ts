// `npm run docs`: regenerates the README's configuration tables from platform/src/env.ts.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../compose.js';
import { renderReadme } from '../docs/configurationDocs.js';

const file = path.join(repoRoot, 'README.md');
const before = await readFile(file, 'utf8');
const after = renderReadme(before);
if (after !== before) await writeFile(file, after);
console.log(after === before ? 'README.md: configuration tables up to date' : 'README.md: configuration tables rewritten');
